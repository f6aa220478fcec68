package io.sohbet.campaign.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sohbet.campaign.client.ContactApi.Contact;
import io.sohbet.campaign.domain.CampaignDefinition;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MessagesTest {

    static final Contact AYSE = new Contact("s1", "+905321234567", null, "Ayşe Yılmaz", "Ayşe");
    static final Contact NAMELESS = new Contact("s2", "+905321234568", null, null, null);

    @Test
    void templatesGetPersonalisedParametersTheTrackedLinkAndOurCallbackData() {
        CampaignDefinition.Message m = new CampaignDefinition.Message("template",
                new CampaignDefinition.Template("kis_indirimi", "tr", new CampaignDefinition.Header("image", null, "https://cdn.example/k.jpg"),
                        List.of("{{firstName|Değerli müşterimiz}}", "%20"), List.of(new CampaignDefinition.QuickReply(1, "stop"))),
                null, null, null, new CampaignDefinition.TrackedLink("shop", "https://shop.example/kis", 0));
        JsonObject body = Messages.body(42, m, AYSE, "1.abc.def", null);
        assertThat(body.getString("to")).isEqualTo("+905321234567");
        assertThat(body.getString("biz_opaque_callback_data")).isEqualTo("sohbet:42");
        assertThat(Messages.rowOf(body.getString("biz_opaque_callback_data"))).isEqualTo(42L);
        JsonObject t = body.getJsonObject("template");
        assertThat(t.getString("name")).isEqualTo("kis_indirimi");
        assertThat(t.getJsonObject("language").getString("code")).isEqualTo("tr");
        var components = t.getJsonArray("components");
        assertThat(components.getJsonObject(0).getJsonArray("parameters").getJsonObject(0).getJsonObject("image").getString("link"))
                .isEqualTo("https://cdn.example/k.jpg");
        assertThat(components.getJsonObject(1).getJsonArray("parameters").getJsonObject(0).getString("text")).isEqualTo("Ayşe");
        assertThat(components.getJsonObject(2).getString("sub_type")).isEqualTo("url");
        assertThat(components.getJsonObject(2).getJsonArray("parameters").getJsonObject(0).getString("text")).isEqualTo("1.abc.def");
        assertThat(components.getJsonObject(3).getString("sub_type")).isEqualTo("quick_reply");
        assertThat(Messages.body(43, m, NAMELESS, "t", null).getJsonObject("template").getJsonArray("components").getJsonObject(1)
                .getJsonArray("parameters").getJsonObject(0).getString("text")).isEqualTo("Değerli müşterimiz");
    }

    @Test
    void freeFormTextsAndInteractiveMessagesAreFilledIn() throws Exception {
        CampaignDefinition.Message text = new CampaignDefinition.Message("text", null, "Merhaba {{ firstName }}, bak: {{link}} $1",
                null, null, new CampaignDefinition.TrackedLink("l", "https://shop.example", null));
        JsonObject body = Messages.body(1, text, AYSE, "TOKEN", "https://t.example/");
        assertThat(body.getJsonObject("text").getString("body")).isEqualTo("Merhaba Ayşe, bak: https://t.example/l/TOKEN $1");
        assertThat(body.getJsonObject("text").getBoolean("preview_url")).isTrue();

        CampaignDefinition.Message interactive = new CampaignDefinition.Message("interactive", null, null, null,
                new ObjectMapper().readTree("{\"type\":\"button\",\"body\":{\"text\":\"{{firstName}}, memnun kaldınız mı?\"},"
                        + "\"action\":{\"buttons\":[{\"type\":\"reply\",\"reply\":{\"id\":\"5\",\"title\":\"👍\"}}]}}"), null);
        JsonObject i = Messages.body(2, interactive, AYSE, null, null).getJsonObject("interactive");
        assertThat(i.getJsonObject("body").getString("text")).isEqualTo("Ayşe, memnun kaldınız mı?");
        assertThat(i.getJsonObject("action").getJsonArray("buttons").getJsonObject(0).getJsonObject("reply").getString("title")).isEqualTo("👍");
        assertThat(interactive.interactive().toString()).contains("{{firstName}}");

        CampaignDefinition.Message image = new CampaignDefinition.Message("image", null, null,
                new CampaignDefinition.Media("https://cdn.example/a.jpg", "Sana özel {{name}}", null), null, null);
        assertThat(Messages.body(3, image, AYSE, null, null).getJsonObject("image").getString("caption")).isEqualTo("Sana özel Ayşe Yılmaz");
        assertThat(Messages.rowOf("someone-else:1")).isNull();
        assertThat(Messages.rowOf("sohbet:x")).isNull();
    }

    @Test
    void aPersonWithoutAPhoneIsAddressedByBsuidInRecipientNeverInTo() {
        CampaignDefinition.Message m = new CampaignDefinition.Message("template", new CampaignDefinition.Template("kis_indirimi", "tr",
                null, List.of("{{firstName|Merhaba}}"), null), null, null, null, null);
        JsonObject username = Messages.body(7, m, new Contact("s3", null, "TR.13491208655302741918", null, "Ayşe"), null, null);
        assertThat(username.getString("recipient")).isEqualTo("TR.13491208655302741918");
        assertThat(username.containsKey("to")).isFalse();
        assertThat(username.getString("recipient_type")).isEqualTo("individual");
        // with both known, the phone number is used and the BSUID is not sent at all
        JsonObject both = Messages.body(8, m, new Contact("s4", "+905321234569", "TR.1", null, null), null, null);
        assertThat(both.getString("to")).isEqualTo("+905321234569");
        assertThat(both.containsKey("recipient")).isFalse();
        // consent-service's address decides: a number withheld now (a username adopted) goes by BSUID though held
        JsonObject withheld = Messages.body(9, m, new Contact("s5", "+905321234570", "TR.2", null, null,
                new io.sohbet.campaign.client.ContactApi.Address("bsuid", "TR.2")), null, null);
        assertThat(withheld.getString("recipient")).isEqualTo("TR.2");
        assertThat(withheld.containsKey("to")).isFalse();
        JsonObject shared = Messages.body(10, m, new Contact("s6", "+905321234571", "TR.3", null, null,
                new io.sohbet.campaign.client.ContactApi.Address("phone", "+905321234571")), null, null);
        assertThat(shared.getString("to")).isEqualTo("+905321234571");
        assertThat(shared.containsKey("recipient")).isFalse();
    }
}
