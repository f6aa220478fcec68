package io.sohbet.console;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.sohbet.devstack.KeycloakServer;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

/**
 * What console-service's tests run against: the real Keycloak with the local realm (devstack {@link KeycloakServer}:
 * people sign in on its login page with the authorization-code flow and PKCE, as in production) and the {@link ApiStub}
 * in place of the four APIs. Test classes get the stub in a field marked {@link Stub}.
 */
public class ConsoleTestResource implements QuarkusTestResourceLifecycleManager {

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Stub {
    }

    private static ApiStub stub;
    private static KeycloakServer keycloak;

    @Override
    public synchronized Map<String, String> start() {
        if (keycloak == null) {
            keycloak = KeycloakServer.shared();
        }
        if (stub == null) {
            stub = ApiStub.start();
        }
        return Map.of("quarkus.oidc.auth-server-url", keycloak.realmUrl(),
                "quarkus.rest-client.consent.url", stub.url(),
                "quarkus.rest-client.metrics.url", stub.url(),
                "quarkus.rest-client.segment.url", stub.url(),
                "quarkus.rest-client.campaign.url", stub.url());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(stub, new TestInjector.AnnotatedAndMatchesType(Stub.class, ApiStub.class));
    }

    @Override
    public void stop() {
        // shared by the run: the stub dies with the JVM, Keycloak with its shutdown hook
    }
}
