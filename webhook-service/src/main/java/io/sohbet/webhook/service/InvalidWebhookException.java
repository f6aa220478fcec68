package io.sohbet.webhook.service;

/** A webhook body that is not a WhatsApp Business Account notification (400). */
public class InvalidWebhookException extends RuntimeException {

    public InvalidWebhookException(String reason) {
        super(reason);
    }
}
