package io.sohbet.metrics;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.sohbet.devstack.KeyVaultStandIn;
import io.sohbet.devstack.SohbetTestResource;

/** The real PostgreSQL, Kafka, a token-issuing OIDC server and a stand-in for the key vault, for every test of this module. */
@QuarkusTestResource(value = SohbetTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = SohbetTestResource.DATABASE, value = "metrics"))
@QuarkusTestResource(value = OidcWiremockTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KeyVaultStandIn.class, restrictToAnnotatedClass = false)
public final class MetricsTestResources {

    private MetricsTestResources() {
    }
}
