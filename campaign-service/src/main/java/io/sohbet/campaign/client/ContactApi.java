package io.sohbet.campaign.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.List;

/**
 * consent-service's contact resolution: phone (or, for a person known only by a business-scoped user id, the BSUID) and
 * names of the subjects whose consent for the purpose is granted at the moment of the call; the others are withheld
 * with a reason ({@code no-consent}, {@code no-contact}: neither phone nor BSUID known, …). Answers are used for the
 * send and then dropped: never stored, never logged. Unknown fields are ignored.
 */
@RegisterRestClient(configKey = "consent")
@Path("/internal/contacts/resolve")
public interface ContactApi {

    @POST
    @Retry(maxRetries = 2, delay = 200)
    @Timeout(5000)
    Uni<Resolution> resolve(@HeaderParam("Authorization") String bearer, ResolveRequest request);

    record ResolveRequest(String purpose, List<String> subjectIds) {
    }

    /**
     * @param phone E.164, null when the person is known only by a business-scoped user id
     * @param bsuid the most recent business-scoped user id ({@code CC.<id>}), may be set alongside a phone
     */
    record Contact(String subjectId, String phone, String bsuid, String name, String firstName) {

        /** Whether the message can be addressed at all (a phone number or a BSUID). */
        public boolean reachable() {
            return phone != null || bsuid != null;
        }
    }

    record Withheld(String subjectId, String reason) {
    }

    record Resolution(List<Contact> contacts, List<Withheld> withheld) {
    }
}
