package io.sohbet.kit.keys;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * consent-service's key vault (role {@code service}): the AES-256 data keys of a batch of subjects. Keys travel
 * base64-encoded and are never logged or stored by the caller.
 */
@RegisterRestClient(configKey = "consent")
@Path("/internal/subject-keys")
public interface SubjectKeyApi {

    /**
     * Every named subject's key, created where there is none: only for data that is being ingested now. A subject with
     * a time in {@code happenedAt} gets no new key if it was erased at or after that time (a late event about an erased
     * person); it is then absent from {@code keys} and present in {@code erased}.
     */
    @POST
    Uni<KeyBatch> getOrCreate(@HeaderParam("Authorization") String bearer, KeyRequest request);

    /** The keys that exist; an erased (or never seen) subject is absent from the answer. */
    @POST
    @Path("/find")
    Uni<KeyBatch> find(@HeaderParam("Authorization") String bearer, KeyRequest request);

    /** Which subjects have a key now and when each ever erased was last erased; no key (role subject-erasures:read). */
    @POST
    @Path("/erasures")
    Uni<ErasureBatch> erasures(@HeaderParam("Authorization") String bearer, KeyRequest request);

    /**
     * @param happenedAt subject id → when the data the key is for happened (the latest such event); optional, only for
     *                   {@code getOrCreate}: a subject without a time gets a key as before
     */
    record KeyRequest(Set<String> subjectIds, Map<String, Instant> happenedAt) {

        public KeyRequest(Set<String> subjectIds) {
            this(subjectIds, null);
        }
    }

    /**
     * subject id → base64 data key; and subject id → when it was last erased, for every named subject ever erased (one in
     * both was erased and came back since; one only in {@code erased} has no key: {@code getOrCreate} refused it).
     */
    record KeyBatch(Map<String, String> keys, Map<String, Instant> erased) {
    }

    /** The named subjects that have a key; subject id → when it was last erased, for every named subject ever erased. */
    record ErasureBatch(Set<String> keyed, Map<String, Instant> erased) {
    }
}
