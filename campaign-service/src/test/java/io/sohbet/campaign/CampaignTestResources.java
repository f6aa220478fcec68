package io.sohbet.campaign;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.sohbet.devstack.SohbetTestResource;

/**
 * The real PostgreSQL, Kafka and a token-issuing OIDC server, stand-ins for the peers and the Cloud API simulator, for
 * every test of this module.
 */
@QuarkusTestResource(value = SohbetTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = SohbetTestResource.DATABASE, value = "campaign"))
@QuarkusTestResource(value = OidcWiremockTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PeerStandIns.class, restrictToAnnotatedClass = false)
public final class CampaignTestResources {

    private CampaignTestResources() {
    }
}
