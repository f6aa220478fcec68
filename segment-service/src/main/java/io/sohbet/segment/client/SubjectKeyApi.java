package io.sohbet.segment.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.Map;
import java.util.Set;

/**
 * consent-service's key vault: get-or-create the AES-256 data keys of a batch of subjects (role {@code service}).
 * Keys travel base64-encoded over TLS inside the cluster and are never logged or stored here.
 */
@RegisterRestClient(configKey = "consent")
@Path("/internal/subject-keys")
public interface SubjectKeyApi {

    @POST
    Uni<KeyBatch> getOrCreate(@HeaderParam("Authorization") String bearer, KeyRequest request);

    record KeyRequest(Set<String> subjectIds) {
    }

    /** subject id → base64 data key. */
    record KeyBatch(Map<String, String> keys) {
    }
}
