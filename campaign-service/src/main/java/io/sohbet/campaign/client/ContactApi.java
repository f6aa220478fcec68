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
 * consent-service's contact resolution: phone (or, for a person known only by a business-scoped user id, the BSUID), the
 * address to send to (the BSUID when the person's number is withheld now) and names of the subjects whose consent for the purpose is granted at the moment of the call; the others are withheld
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
     * @param address where consent-service says the message goes: {@code bsuid} when WhatsApp withholds the person's
     *        number now (their latest message came without it, a username adopted) or none is known, else {@code phone};
     *        null from a consent-service that does not say (then the phone when known, else the BSUID)
     */
    record Contact(String subjectId, String phone, String bsuid, String name, String firstName, Address address) {

        public Contact(String subjectId, String phone, String bsuid, String name, String firstName) {
            this(subjectId, phone, bsuid, name, firstName, null);
        }

        /** Whether the message can be addressed at all (a phone number or a BSUID). */
        public boolean reachable() {
            return phone != null || bsuid != null;
        }

        /** The BSUID the message goes to ({@code recipient}), or null when it goes to the phone number ({@code to}). */
        public String recipientBsuid() {
            if (phone == null) {
                return bsuid;
            }
            if (address != null && Address.BSUID.equals(address.type())) {
                return address.value() != null ? address.value() : bsuid;
            }
            return null;
        }

        /** The same person addressed by phone number (an authentication template, which Meta sends to numbers only). */
        public Contact byPhone() {
            return phone == null ? this : new Contact(subjectId, phone, bsuid, name, firstName, new Address(Address.PHONE, phone));
        }
    }

    /** {@code type} {@code phone} or {@code bsuid}, {@code value} the number (E.164) or the BSUID. */
    record Address(String type, String value) {

        public static final String PHONE = "phone";
        public static final String BSUID = "bsuid";
    }

    record Withheld(String subjectId, String reason) {
    }

    record Resolution(List<Contact> contacts, List<Withheld> withheld) {
    }
}
