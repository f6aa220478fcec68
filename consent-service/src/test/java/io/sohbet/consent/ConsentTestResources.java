package io.sohbet.consent;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.sohbet.devstack.SohbetTestResource;

/**
 * The real PostgreSQL, Kafka, a token-issuing OIDC server, stand-ins for the other services' export endpoints and the
 * Cloud API simulator (self-service answers), for
 * every test of this module. As in production, the migrations run as the database's owner and the service as the
 * restricted role {@value #RUNTIME_ROLE}.
 */
@QuarkusTestResource(value = SohbetTestResource.class, restrictToAnnotatedClass = false,
        initArgs = {@ResourceArg(name = SohbetTestResource.DATABASE, value = "consent"),
                @ResourceArg(name = SohbetTestResource.RUNTIME_ROLE, value = ConsentTestResources.RUNTIME_ROLE)})
@QuarkusTestResource(value = OidcWiremockTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = ExportStandIns.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = CloudApiStandIn.class, restrictToAnnotatedClass = false)
public final class ConsentTestResources {

    public static final String RUNTIME_ROLE = "consent_app";

    private ConsentTestResources() {
    }
}
