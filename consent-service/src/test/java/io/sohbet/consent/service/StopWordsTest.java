package io.sohbet.consent.service;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class StopWordsTest {

    @ParameterizedTest
    @ValueSource(strings = {"STOP", "stop", "Stop.", "  dur  ", "DUR!", "iptal", "İptal", "İPTAL", "IPTAL", "Iptal",
            "abonelikten çık", "ABONELİKTEN ÇIK", "Abonelikten   çık!!", "abonelikten cik", "🙅 stop 🙅", "\"DUR\"", "ıptal"})
    void stopReplies(String reply) {
        assertThat(StopWords.isStop(reply)).as(reply).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "stop sending me the wrong size", "iptal etmeyin", "durum nedir", "STOPS",
            "abone olmak istiyorum", "dur.dur"})
    void otherReplies(String reply) {
        assertThat(StopWords.isStop(reply)).as(reply).isFalse();
    }
}
