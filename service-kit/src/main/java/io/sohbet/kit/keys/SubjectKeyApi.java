package io.sohbet.kit.keys;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.Map;
import java.util.Set;

/**
 * consent-service's key vault (role {@code service}): the AES-256 data keys of a batch of subjects. Keys travel
 * base64-encoded and are never logged or stored by the caller.
 */
@RegisterRestClient(configKey = "consent")
@Path("/internal/subject-keys")
public interface SubjectKeyApi {

    /** Every named subject's key, created where there is none: only for data that is being ingested now. */
    @POST
    Uni<KeyBatch> getOrCreate(@HeaderParam("Authorization") String bearer, KeyRequest request);

    /** The keys that exist; an erased (or never seen) subject is absent from the answer. */
    @POST
    @Path("/find")
    Uni<KeyBatch> find(@HeaderParam("Authorization") String bearer, KeyRequest request);

    record KeyRequest(Set<String> subjectIds) {
    }

    /** subject id → base64 data key; from {@code find} also subject id → when it was erased (subjects without a key). */
    record KeyBatch(Map<String, String> keys, Map<String, java.time.Instant> erased) {
    }
}
