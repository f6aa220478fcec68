package io.sohbet.webhook.service;

/** consent-service's key vault did not answer: personal fields cannot be sealed now, so the sender must retry (503). */
public class KeyVaultUnavailableException extends RuntimeException {

    public KeyVaultUnavailableException(Throwable cause) {
        super("the key vault (consent-service) is unavailable", cause);
    }
}
