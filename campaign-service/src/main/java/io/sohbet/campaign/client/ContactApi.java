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
 * consent-service's contact resolution: phone and names of the subjects whose consent for the purpose is granted at
 * the moment of the call; the others are withheld with a reason. Answers are used for the send and then dropped:
 * never stored, never logged.
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

    record Contact(String subjectId, String phone, String name, String firstName) {
    }

    record Withheld(String subjectId, String reason) {
    }

    record Resolution(List<Contact> contacts, List<Withheld> withheld) {
    }
}
