package io.sohbet.webhook;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.sohbet.devstack.KeyVaultStandIn;
import io.sohbet.devstack.SohbetTestResource;

/**
 * The real PostgreSQL, Kafka and a token-issuing OIDC server for every test of this module, and a stand-in for
 * consent-service's key vault.
 */
@QuarkusTestResource(value = SohbetTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = SohbetTestResource.DATABASE, value = "webhook"))
@QuarkusTestResource(value = OidcWiremockTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KeyVaultStandIn.class, restrictToAnnotatedClass = false)
public final class WebhookTestResources {

    private WebhookTestResources() {
    }
}
