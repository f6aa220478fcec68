package io.sohbet.devstack;

import java.nio.file.Path;

/** Started by {@link KeycloakHomeTest} as another process: tries to take a suite's Keycloak and prints the outcome. */
public final class KeycloakHomeProbe {

    private KeycloakHomeProbe() {
    }

    public static void main(String[] args) {
        try (KeycloakHome home = KeycloakHome.prepare(Path.of(args[0]), "realm-1")) {
            System.out.println("RESULT took " + home.path());
        } catch (RuntimeException e) {
            System.out.println("RESULT " + e.getMessage());
        }
    }
}
