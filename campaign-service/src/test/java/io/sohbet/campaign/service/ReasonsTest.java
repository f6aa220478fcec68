package io.sohbet.campaign.service;

import io.sohbet.campaign.client.CloudApiErrors;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a marketer is shown of a recipient's reason: ours as written, Meta's free text never. The same expression
 * classifies in PostgreSQL (SendingTest reads the reasons through the API).
 */
class ReasonsTest {

    @Test
    void ourReasonsAreShownAsWritten() {
        for (String ours : new String[] {"no-consent", "no-iys-consent", "no-contact", "failed", "frequency cap reached",
                "waiting for the messaging tier limit", "late for its send slot", "consent-service unavailable",
                "recipient's local time", "send outcome unknown (TimeoutException); not resent", "send outcome unknown (); not resent",
                "no answer from the Cloud API (2xx without a message id); not resent",
                "cannot reach the Cloud API (gave up after 5 attempts)", "HTTP 503", "HTTP 400 (gave up after 2 attempts)",
                "no message from the customer known: a text message can only go inside the 24-hour customer service window; "
                        + "send a template instead",
                "the customer last wrote over 24 hours ago: a image message can only go inside the 24-hour customer service "
                        + "window; send a template instead",
                "variant b is not one of the campaign's variants; not sent", Dispatcher.AUTHENTICATION_NEEDS_PHONE,
                "the worker stopped before the outcome was known; not resent (at most once)"}) {
            assertThat(Campaigns.own(ours)).as(ours).isEqualTo(ours);
        }
    }

    @Test
    void anythingElseWithoutACodeIsNotPassedOn() {
        for (String theirs : new String[] {"(#100) Invalid parameter: +905551234567", "Message undeliverable", "ayse",
                "no-consent for +905551234567", "cannot reach the Cloud API: https://graph.facebook.com/v23.0/x",
                "no message from the customer known: a text message can only go inside the 24-hour customer service window; "
                        + "send a template instead to +905551234567",
                "variant b is not one of the campaign's variants; not sent\nAyşe", null, ""}) {
            assertThat(Campaigns.own(theirs)).as(String.valueOf(theirs)).isEqualTo(Campaigns.NOT_OURS);
        }
    }

    @Test
    void literalTextMatchesItselfOnly() {
        assertThat("a (b) c.d".matches(Campaigns.literal("a (b) c.d"))).isTrue();
        assertThat("a b c-d".matches(Campaigns.literal("a (b) c.d"))).isFalse();
    }

    @Test
    void codesAreToldInOurWords() {
        assertThat(CloudApiErrors.meaning(131050)).contains("stopped marketing messages");
        assertThat(CloudApiErrors.meaning(999999)).isEqualTo("Cloud API error 999999 (see Meta's error codes)");
    }
}
