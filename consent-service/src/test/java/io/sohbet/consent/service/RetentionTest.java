package io.sohbet.consent.service;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static io.sohbet.consent.Fixtures.IDS;
import static io.sohbet.consent.Fixtures.count;
import static io.sohbet.consent.Fixtures.grant;
import static io.sohbet.consent.Fixtures.officer;
import static io.sohbet.consent.Fixtures.phone;
import static io.sohbet.consent.Fixtures.sql;
import static io.sohbet.consent.Fixtures.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

@QuarkusTest
class RetentionTest {

    @Inject
    Pool pool;

    static void contact(String phone) {
        given().auth().oauth2(officer()).contentType(ContentType.JSON).body("{\"phone\":\"" + phone + "\",\"name\":\"Eski Müşteri\"}")
                .when().put("/api/identities").then().statusCode(200);
    }

    @Test
    void expiredDataIsDeletedAndWhatIsStillNeededIsKept() throws Throwable {
        String stale = IDS.fromPhone(phone());
        String consenting = phone();
        String fresh = phone();
        String staleRaw = phone();
        stale = IDS.fromPhone(staleRaw);
        contact(staleRaw);
        contact(consenting);
        given().auth().oauth2(officer()).contentType(ContentType.JSON).body(grant(consenting, "marketing"))
                .when().post("/api/consents").then().statusCode(201);
        given().auth().oauth2(officer()).contentType(ContentType.JSON).body(grant(consenting, "analytics"))
                .when().post("/api/consents").then().statusCode(201);
        given().auth().oauth2(officer()).contentType(ContentType.JSON)
                .body("{\"phone\":\"" + consenting + "\",\"purpose\":\"analytics\",\"state\":\"revoked\",\"source\":\"admin\"}")
                .when().post("/api/consents").then().statusCode(201);
        contact(fresh);
        String consentingId = IDS.fromPhone(consenting);
        sql(pool, "UPDATE identity SET seen_at = now() - interval '400 days' WHERE subject_id = ANY($1)",
                (Object) new String[] {stale, consentingId});
        sql(pool, "UPDATE consent_record SET recorded_at = now() - interval '1200 days' WHERE subject_id = $1", consentingId);

        // a self-service message handled long ago, an erasure confirmation expired, and a fresh one of each
        sql(pool, "INSERT INTO self_service_message VALUES ($1, $2, 'data', 'answered', now() - interval '40 days', "
                + "now() - interval '40 days'), ($3, $2, 'data', 'answered', now(), now())", "old-" + stale, stale, "new-" + stale);
        sql(pool, "INSERT INTO self_service_confirmation VALUES ($1, $2, 'TURKISH', now() - interval '2 days', now() - interval "
                + "'1 day'), ($3, $2, 'TURKISH', now(), now() + interval '1 day')", "expired-" + stale, stale, "valid-" + stale);

        // preference-page links: an expired one goes, a valid one stays
        sql(pool, "INSERT INTO preference_link (token_hash, subject_id, language, issued_by, created_at, expires_at) VALUES "
                + "($1, $2, 'TURKISH', 'whatsapp', now() - interval '2 days', now() - interval '1 day'), "
                + "($3, $2, 'TURKISH', 'whatsapp', now(), now() + interval '1 day')", "expired-" + stale, stale, "valid-" + stale);

        // identifier links: the stale person's, seen long ago, go; the consenting person's and a recent one stay
        sql(pool, "INSERT INTO subject_identifier (id_hash, kind, subject_id, value, seen_at, updated_at) VALUES "
                + "($1, 'bsuid', $2, 'sealed', now() - interval '400 days', now()), ($3, 'bsuid', $4, 'sealed', now() - interval '400 days', now()), "
                + "($5, 'username', $2, 'sealed', now() - interval '10 days', now())",
                IDS.fromBusinessScopedUserId("TR.r" + stale), stale, IDS.fromBusinessScopedUserId("TR.r" + consentingId), consentingId,
                IDS.fromUsername("r" + stale));
        given().auth().oauth2(officer()).when().post("/api/retention/run").then().statusCode(200)
                .body("contactsWithoutConsentDeleted", greaterThanOrEqualTo(1))
                .body("identifierLinksWithoutConsentDeleted", greaterThanOrEqualTo(1))
                .body("supersededEvidenceDeleted", greaterThanOrEqualTo(1))
                .body("selfServiceMessagesDeleted", greaterThanOrEqualTo(1))
                .body("expiredConfirmationsDeleted", greaterThanOrEqualTo(1))
                .body("expiredPreferenceLinksDeleted", greaterThanOrEqualTo(1));
        assertThat(count(pool, "SELECT count(*) FROM preference_link WHERE token_hash IN ($1, $2)", "expired-" + stale,
                "valid-" + stale)).as("only the valid preference link kept").isOne();
        assertThat(count(pool, "SELECT count(*) FROM self_service_message WHERE event_id IN ($1, $2)", "old-" + stale, "new-" + stale))
                .as("only the fresh self-service record kept").isOne();
        assertThat(count(pool, "SELECT count(*) FROM self_service_confirmation WHERE nonce IN ($1, $2)", "expired-" + stale,
                "valid-" + stale)).as("only the valid confirmation kept").isOne();

        assertThat(count(pool, "SELECT count(*) FROM identity WHERE subject_id = $1", stale)).isZero();
        assertThat(count(pool, "SELECT count(*) FROM subject_identifier WHERE id_hash = $1", IDS.fromBusinessScopedUserId("TR.r" + stale)))
                .as("a stale link of a person without consent").isZero();
        assertThat(count(pool, "SELECT count(*) FROM subject_identifier WHERE id_hash = $1", IDS.fromUsername("r" + stale)))
                .as("a link seen 10 days ago").isOne();
        assertThat(count(pool, "SELECT count(*) FROM subject_identifier WHERE id_hash = $1", IDS.fromBusinessScopedUserId("TR.r" + consentingId)))
                .as("a stale link of a person who consents").isOne();
        assertThat(count(pool, "SELECT count(*) FROM identity WHERE subject_id = $1", consentingId)).isOne();
        assertThat(count(pool, "SELECT count(*) FROM identity WHERE subject_id = $1", IDS.fromPhone(fresh))).isOne();
        // the superseded analytics grant lost its evidence; the current entries kept theirs
        assertThat(count(pool, "SELECT count(*) FROM consent_record WHERE subject_id = $1 AND purpose = 'analytics' "
                + "AND state = 'granted' AND evidence IS NULL", consentingId)).isOne();
        assertThat(count(pool, "SELECT count(*) FROM consent_record WHERE subject_id = $1 AND purpose = 'marketing' "
                + "AND evidence IS NOT NULL", consentingId)).isOne();
        given().auth().oauth2(officer()).when().get("/api/audit?limit=12").then().body("action", org.hamcrest.Matchers.hasItem("retention.run")); // after it, a destruction record per rule
        given().auth().oauth2(officer()).when().get("/api/retention").then().statusCode(200)
                .body("identityWithoutConsent", equalTo("PT8760H"))
                // no rule for the outbox: the relay deletes each event once Kafka acknowledged it
                .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("publishedOutbox")));
        given().auth().oauth2(token("a", "analyst")).when().post("/api/retention/run").then().statusCode(403);
    }
}
