package io.sohbet.consent.service;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class StopWordsTest {

    @ParameterizedTest
    @ValueSource(strings = {"STOP", "stop", "STOP STOP", "stop stop stop!", "iptal iptal", "Stop.", "  dur  ", "DUR!", "iptal", "İptal", "İPTAL", "IPTAL", "Iptal", "ıptal",
            "i\u0307ptal", "abonelikten çık", "ABONELİKTEN ÇIK", "Abonelikten   çık!!", "abonelikten cik", "ABONELIKTEN CIK",
            "Abonelikten c\u0327ık", "aboneliktençık", "ABONELİKTENÇIK", "🙅 stop 🙅", "\"DUR\"", "«Dur»", "Stop 🛑", "ＳＴＯＰ",
            "S\u200BTOP", "stop\n", "\tStop\t", "...stop...", "Stop!!!", "Durdur", "Lütfen durdurun", "DURDURUN LÜTFEN",
            "UNSUBSCRIBE", "Unsubscribe please", "Please stop", "please stop please", "Opt-out", "opt out", "OPTOUT", "STOP ALL",
            "stopall", "Revoke", "RET", "ret.", "Aboneliğimi iptal et", "ABONELIGIMI IPTAL EDIN", "aboneliği iptal",
            "Aboneliği iptal et.", "Abonelikten çıkmak istiyorum", "abonelikten çıkarın", "Mesaj istemiyorum", "mesaj göndermeyin!",
            "MESAJ ATMAYIN", "Reklam istemiyorum 😡", "cancel", "END", "Quit", "iptal et", "İptal edin lütfen",
            "Stop promotions", "Promosyonları durdur"})
    void stopReplies(String reply) {
        assertThat(StopWords.isStop(reply)).as(reply).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "🛑", "👎", "lütfen", "please", "stop sending me the wrong size", "iptal etmeyin",
            "iptal etmeyin lütfen", "durum nedir", "Durum nedir?", "STOPS", "abone olmak istiyorum", "dur.dur", "dur dur",
            "stop by the shop tomorrow", "Siparişimi iptal et", "Siparişim iptal mi oldu?", "İptal edildi mi?",
            "Dur bir dakika, bakıyorum", "durdurmayın", "Durak nerede?", "don't stop", "no stopping me now", "unsubscribed?",
            "Kampanya ne zaman bitiyor?", "Merhaba, kargom nerede?", "Teşekkürler 🙏", "Evet", "resume", "START", "abonelik",
            "aboneyim", "Retro model var mı?", "Ret edilen ödeme", "abonelikten çıkmak istemiyorum", "endless summer",
            "cancel my order 12345", "STOP 2", "S T O P"})
    void otherReplies(String reply) {
        assertThat(StopWords.isStop(reply)).as(reply).isFalse();
    }

    @Test
    void aMissingReplyIsNoStop() {
        assertThat(StopWords.isStop(null)).isFalse();
        assertThat(StopWords.isStopLabel(null)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"İptal", "IPTAL", "İptal et", "Ret", "Cancel", "End", "Quit"})
    void cancelAndRejectLabelsAreStopsOnlyWhenTyped(String label) {
        assertThat(StopWords.isStop(label)).as(label).isTrue();
        assertThat(StopWords.isStopLabel(label)).as(label).isFalse();
    }

    @Test
    void foldingMakesTurkishAndAsciiSpellingsOne() {
        assertThat(TextFolding.fold("İı Iİ ÇçŞşĞğÖöÜü")).isEqualTo("II II CCSSGGOOUU");
        assertThat(TextFolding.fold("  «Abonelikten — çık!»  🙅\u200D♀️ ")).isEqualTo("ABONELIKTEN CIK");
        assertThat(StopWords.phrase("lütfen  STOP  lütfen")).isEqualTo("STOP");
    }
}
