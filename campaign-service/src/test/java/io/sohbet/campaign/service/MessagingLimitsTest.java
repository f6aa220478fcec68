package io.sohbet.campaign.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading Meta's messaging-limit reports, from hand-written webhook values (the allow-listed facts on wa.account). */
class MessagingLimitsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static MessagingLimits.Reported of(String field, String value) throws Exception {
        return MessagingLimits.of(field, JSON.readTree(value));
    }

    @Test
    void tiersAndNumbersFromEachFieldThatReportsALimit() throws Exception {
        assertThat(of("business_capability_update", "{\"max_daily_conversations_per_business\":\"TIER_2K\","
                + "\"max_phone_numbers_per_business\":20}")).isEqualTo(new MessagingLimits.Reported(2000, "max_daily_conversations_per_business"));
        assertThat(of("business_capability_update", "{\"max_daily_conversations_per_business\":\"TIER_250\"}").limit()).isEqualTo(250);
        assertThat(of("business_capability_update", "{\"max_daily_conversations_per_business\":\"TIER_100K\"}").limit()).isEqualTo(100_000);
        assertThat(of("business_capability_update", "{\"max_daily_conversations_per_business\":\"TIER_UNLIMITED\"}").limit()).isZero();
        // before v24: per phone number, a plain number
        assertThat(of("business_capability_update", "{\"max_daily_conversation_per_phone\":10000,\"max_phone_numbers_per_waba\":2}"))
                .isEqualTo(new MessagingLimits.Reported(10_000, "max_daily_conversation_per_phone"));
        assertThat(of("business_capability_update", "{\"max_daily_conversation_per_phone\":-1}").limit()).isZero();
        // a tier too large for an int is as large as an int can be, as a plain number is, never wrapped to a negative
        assertThat(of("business_capability_update", "{\"max_daily_conversations_per_business\":\"TIER_3000000K\"}").limit())
                .isEqualTo(Integer.MAX_VALUE);
        assertThat(of("business_capability_update", "{\"max_daily_conversations_per_business\":\"TIER_9999999K\"}").limit())
                .isEqualTo(Integer.MAX_VALUE);
        // the portfolio's field wins over the per-phone one
        assertThat(of("business_capability_update", "{\"max_daily_conversation_per_phone\":1000,"
                + "\"max_daily_conversations_per_business\":\"TIER_10K\"}").limit()).isEqualTo(10_000);
        assertThat(of("phone_number_quality_update", "{\"display_phone_number\":\"908505551234\",\"event\":\"UPGRADE\","
                + "\"current_limit\":\"TIER_10K\",\"old_limit\":\"TIER_2K\"}")).isEqualTo(new MessagingLimits.Reported(10_000, "current_limit"));
    }

    @Test
    void reportsWithoutALimitOrWithAnUnreadableOneChangeNothing() throws Exception {
        assertThat(of("business_capability_update", "{\"max_phone_numbers_per_business\":20}")).isNull();
        assertThat(of("business_capability_update", "{\"max_daily_conversations_per_business\":\"TIER_MANY\"}")).isNull();
        assertThat(of("business_capability_update", "{\"max_daily_conversations_per_business\":\"TIER_99999999999K\"}")).isNull();
        assertThat(of("phone_number_quality_update", "{\"event\":\"FLAGGED\"}")).isNull();
        // volume tiers are pricing tiers (utility and authentication prices), not a sending limit
        assertThat(of("account_update", "{\"event\":\"VOLUME_BASED_PRICING_TIER_UPDATE\",\"volume_tier_info\":{\"tier\":\"25000001:50000000\"}}"))
                .isNull();
        assertThat(of("message_template_status_update", "{\"event\":\"APPROVED\"}")).isNull();
    }
}
