package io.sohbet.webhook.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The facts of messaging-limit and volume-tier webhooks that reach {@code wa.account} (campaign-service sends under the
 * limit they report), from hand-written payload values shaped as Meta's references describe them
 * (../shared/docs/whatsapp-cloud-api.md §9.2, §12.2, §12.7).
 */
class AccountLimitFactsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void portfolioLimitsAndTiersKeepTheirFacts() throws Exception {
        JsonNode capability = json("{'max_daily_conversations_per_business':'TIER_2K','max_daily_conversation_per_phone':1000,"
                + "'max_phone_numbers_per_business':20,'max_phone_numbers_per_waba':2}");
        AccountAllowList.Filtered kept = AccountAllowList.filter("business_capability_update", capability);
        assertThat(kept.value()).isEqualTo(capability);
        assertThat(kept.dropped()).isZero();

        JsonNode quality = json("{'display_phone_number':'908505551234','event':'UPGRADE','current_limit':'TIER_10K',"
                + "'old_limit':'TIER_2K'}");
        assertThat(AccountAllowList.filter("phone_number_quality_update", quality).value()).isEqualTo(quality);

        JsonNode tier = json("{'event':'VOLUME_BASED_PRICING_TIER_UPDATE','volume_tier_info':{'effective_month':'2026-12',"
                + "'pricing_category':'UTILITY','region':'TR','tier':'25000001:50000000','tier_update_time':1764547200}}");
        assertThat(AccountAllowList.filter("account_update", tier).value()).isEqualTo(tier);
    }

    @Test
    void somethingAboutACustomerInALimitReportIsDropped() throws Exception {
        AccountAllowList.Filtered kept = AccountAllowList.filter("business_capability_update",
                json("{'max_daily_conversations_per_business':'TIER_250','wa_id':'905321234567','user_id':'TR.1349120865'}"));
        assertThat(kept.value()).isEqualTo(json("{'max_daily_conversations_per_business':'TIER_250'}"));
        assertThat(kept.dropped()).isEqualTo(2);
    }
}
