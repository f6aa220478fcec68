package io.sohbet.consent.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sohbet.kit.Problem;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.sohbet.consent.Fixtures.officer;
import static io.sohbet.consent.Fixtures.token;
import static org.assertj.core.api.Assertions.assertThat;

/** GET /api/data-inventory: every service's declaration, as JSON and as CSV in VERBİS's terms, for privacy roles. */
@QuarkusTest
class DataInventoryResourceTest {

    @Test
    @SuppressWarnings("unchecked")
    void theInventoryHoldsEveryServicesDeclaredColumnsWithWhatTheyInherit() {
        List<Map<String, Object>> entries = given().auth().oauth2(officer()).when().get("/api/data-inventory").then()
                .statusCode(200).contentType(ContentType.JSON).extract().jsonPath().getList("$");
        assertThat(entries).extracting(e -> e.get("service")).containsOnly("webhook-service", "consent-service",
                "metrics-service", "segment-service", "campaign-service");
        // every service that keeps subject ids declares them
        assertThat(entries).filteredOn(e -> e.get("column").equals("subject_id")).extracting(e -> e.get("service"))
                .contains("consent-service", "metrics-service", "segment-service", "campaign-service");
        Map<String, Object> phone = entry(entries, "consent-service", "identity", "phone");
        assertThat(phone).containsEntry("category", "İletişim").containsEntry("transferAbroad", true)
                .containsEntry("purpose", "Reaching the person over WhatsApp (contact details, sealed with the subject's data key)");
        assertThat((List<String>) phone.get("recipients")).contains("Meta Platforms (WhatsApp Cloud API)");
        // a column's own value wins over its table's
        assertThat(entry(entries, "consent-service", "identity", "email")).containsEntry("transferAbroad", false);
        assertThat(entry(entries, "campaign-service", "send_queue", "wamid")).containsEntry("transferAbroad", true);
        assertThat((String) entry(entries, "segment-service", "profile", "subject_id").get("legalBasis")).startsWith("KVKK m.5/1");
        // non-personal columns are not listed
        assertThat(entries).noneMatch(e -> e.get("table").equals("send_rate") || e.get("column").equals("hash"));
    }

    @Test
    void csvUsesVerbisTermsByAcceptOrFormat() {
        String csv = given().auth().oauth2(officer()).accept("text/csv").when().get("/api/data-inventory").then()
                .statusCode(200).contentType("text/csv").extract().asString();
        assertThat(csv.lines().findFirst().orElseThrow()).isEqualTo("Veri Kategorisi,Kişisel Veri,İşleme Amacı,Hukuki Sebep,"
                + "Saklama Süresi,Alıcı / Alıcı Grupları,Yurt Dışına Aktarım,Veri Konusu Kişi Grubu,Servis,Tablo,Sütun");
        assertThat(csv.lines().filter(l -> l.endsWith(",consent-service,identity,phone")).findFirst().orElseThrow())
                .startsWith("İletişim,").contains("Evet (Meta, WhatsApp Cloud API)");
        String byFormat = given().auth().oauth2(officer()).queryParam("format", "csv").when().get("/api/data-inventory")
                .then().statusCode(200).extract().asString();
        assertThat(byFormat).isEqualTo(csv);
        long json = given().auth().oauth2(officer()).when().get("/api/data-inventory").then().extract().jsonPath()
                .getList("$").size();
        assertThat(csv.lines().count()).isEqualTo(json + 1); // a header, then one line per entry
    }

    @Test
    void aBadFormatIs400AndTheInventoryNeedsAPrivacyRole() {
        given().auth().oauth2(officer()).queryParam("format", "xlsx").when().get("/api/data-inventory").then()
                .statusCode(400).contentType(Problem.MEDIA_TYPE);
        given().when().get("/api/data-inventory").then().statusCode(401);
        given().auth().oauth2(token("a", "marketer")).when().get("/api/data-inventory").then().statusCode(403);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> entry(List<Map<String, Object>> entries, String service, String table, String column) {
        return entries.stream().filter(e -> e.get("service").equals(service) && e.get("table").equals(table)
                && e.get("column").equals(column)).findFirst().orElseThrow(() -> new AssertionError(service + " " + table + "." + column));
    }
}
