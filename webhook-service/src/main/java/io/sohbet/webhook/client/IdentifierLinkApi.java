package io.sohbet.webhook.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.Map;
import java.util.Set;

/**
 * consent-service's identifier links (role {@code identifiers:resolve} on {@code sohbet-consent}): keyed hashes of a
 * webhook's identifiers in, the subject each linked one belongs to out. No clear identifier travels.
 */
@RegisterRestClient(configKey = "consent")
@Path("/internal/identifiers/resolve")
public interface IdentifierLinkApi {

    @POST
    Uni<Resolution> resolve(@HeaderParam("Authorization") String bearer, Request request);

    /** 1–1000 keyed hashes. */
    record Request(Set<String> hashes) {
    }

    /** keyed hash → subject id, for the linked hashes only. */
    record Resolution(Map<String, String> subjects) {
    }
}
