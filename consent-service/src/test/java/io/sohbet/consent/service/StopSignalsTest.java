package io.sohbet.consent.service;

import io.sohbet.events.payload.WaInbound;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StopSignalsTest {

    /** The defaults of {@code sohbet.consent.stop-payloads}. */
    static final StopSignals SIGNALS = new StopSignals(List.of("STOP", "UNSUBSCRIBE", "OPT_OUT", "STOP_PROMOTIONS", "STOP_PROMOS",
            "STOP_MARKETING"));

    static WaInbound tap(String type, String interactiveType, String id, String title) {
        return new WaInbound("mid_x", "pn", Instant.now(), type, type, interactiveType, null, null, null, null, id, title, null,
                null, "mid_campaign", false, null, null, null, null, List.of());
    }

    /** Template quick-reply taps ({@code button.payload}, {@code button.text}): the field that matched, or none. */
    @ParameterizedTest(name = "{0} / {1} → {2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "STOP                | Stop                      | button.payload=STOP",
            "STOP_PROMOS         | Durdur                    | button.payload=STOP_PROMOS",
            "stop-promotions     | Kampanyaları durdur       | button.payload=stop-promotions",
            "stop marketing      | Bildirimleri kapat        | button.payload=stop marketing",
            "opt-out             | Çıkış                     | button.payload=opt-out",
            "Opt Out             | Opt out                   | button.payload=Opt Out",
            "unsubscribe         | Listeden çık              | button.payload=unsubscribe",
            "Abonelikten çık     | Abonelikten çık           | button.payload=Abonelikten çık",
            "ABONELIKTEN CIK     | Abonelikten çık           | button.payload=ABONELIKTEN CIK",
            "DUR                 | Dur                       | button.payload=DUR",
            "callback_data       | Stop promotions           | button.text=Stop promotions",
            "promo_q4_b2         | 🛑 STOP                   | button.text=🛑 STOP",
            "-                   | STOP                      | button.text=STOP",
            "btn-3               | Promosyonları durdur      | button.text=Promosyonları durdur",
            "SIM                 | SIM                       | -",
            "callback_data       | title                     | -",
            "more-aloes          | Daha fazla göster         | -",
            "YES                 | Evet                      | -",
            "csat_5              | 5 ⭐                      | -",
            "ORDER_CANCEL        | İptal                     | -",
            "İptal               | İptal                     | -",
            "REJECT              | Ret                       | -",
            "STOP_ORDER          | Siparişi durdurma         | -",
            "stopover-istanbul   | İstanbul aktarmalı        | -",
            "-                   | -                         | -"})
    void templateQuickReplies(String payload, String text, String matched) {
        WaInbound message = tap("button", null, payload, text);
        assertThat(SIGNALS.tapped(message).map(StopSignals.Signal::matched)).as("%s / %s", payload, text)
                .isEqualTo(java.util.Optional.ofNullable(matched));
        assertThat(SIGNALS.mayStop(message)).isEqualTo(matched != null);
        SIGNALS.tapped(message).ifPresent(s -> assertThat(s.source()).isEqualTo("whatsapp-button"));
    }

    /** Interactive reply buttons and list rows (id, title): the source and field that matched, or none. */
    @ParameterizedTest(name = "{0} {1} / {2} → {3}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "button_reply | unsubscribe          | Abonelikten çık            | whatsapp-button-reply | button_reply.id=unsubscribe",
            "button_reply | btn_2                | STOP                       | whatsapp-button-reply | button_reply.title=STOP",
            "button_reply | OPT_OUT              | Bildirim istemiyorum       | whatsapp-button-reply | button_reply.id=OPT_OUT",
            "button_reply | b1                   | Abonelikten Çık 👋         | whatsapp-button-reply | button_reply.title=Abonelikten Çık 👋",
            "button_reply | csat-5               | Çok memnun                 | -                     | -",
            "button_reply | callback_data        | title                      | -                     | -",
            "button_reply | cancel_appointment   | İptal                      | -                     | -",
            "button_reply | ret                  | Reddet                     | -                     | -",
            "button_reply | change               | Değiştir                   | -                     | -",
            "list_reply   | opt_out              | Bildirim almak istemiyorum | whatsapp-list-reply   | list_reply.id=opt_out",
            "list_reply   | row-3                | Abonelikten çık            | whatsapp-list-reply   | list_reply.title=Abonelikten çık",
            "list_reply   | STOP_PROMOTIONS      | Kampanya mesajlarını kapat | whatsapp-list-reply   | list_reply.id=STOP_PROMOTIONS",
            "list_reply   | pref-none            | Dur                        | whatsapp-list-reply   | list_reply.title=Dur",
            "list_reply   | size-m               | Orta                       | -                     | -",
            "list_reply   | callback_data        | title                      | -                     | -",
            "list_reply   | list_reply_id        | list_reply_title           | -                     | -",
            "list_reply   | order-iptal          | Siparişi iptal et          | -                     | -",
            "nfm_reply    | -                    | flow                       | -                     | -",
            "-            | STOP                 | STOP                       | -                     | -"})
    void interactiveReplies(String interactiveType, String id, String title, String source, String matched) {
        WaInbound message = tap("interactive", interactiveType, id, title);
        assertThat(SIGNALS.tapped(message)).as("%s %s / %s", interactiveType, id, title)
                .isEqualTo(java.util.Optional.ofNullable(matched == null ? null : new StopSignals.Signal(source, matched)));
        assertThat(SIGNALS.mayStop(message)).isEqualTo(matched != null);
    }

    @Test
    void typedMessagesAreOpenedAndOtherTypesAreNoSignal() {
        assertThat(SIGNALS.mayStop(tap("text", null, null, null))).isTrue();
        assertThat(SIGNALS.typed(" İptal! ")).contains(new StopSignals.Signal("whatsapp-stop-reply", "text"));
        assertThat(SIGNALS.typed("iptal etmeyin")).isEmpty();
        for (String type : List.of("image", "reaction", "order", "system", "unsupported", "edit")) {
            assertThat(SIGNALS.mayStop(tap(type, null, "STOP", "STOP"))).as(type).isFalse();
        }
    }

    @Test
    void configuredPayloadIdsReplaceTheDefaults() {
        StopSignals own = new StopSignals(List.of("kampanya-cikis", " "));
        assertThat(own.tapped(tap("button", null, "KAMPANYA_ÇIKIŞ", "Çıkış"))).isPresent();
        assertThat(own.tapped(tap("button", null, "STOP_PROMOS", "Kampanyaları kapat"))).isEmpty();
        // a stop phrase as id or label needs no configuration
        assertThat(own.tapped(tap("button", null, "STOP", "Stop"))).isPresent();
        assertThat(own.tapped(tap("button", null, "", "Evet"))).isEmpty();
    }
}
