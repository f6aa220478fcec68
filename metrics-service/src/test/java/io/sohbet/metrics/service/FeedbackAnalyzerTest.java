package io.sohbet.metrics.service;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FeedbackAnalyzerTest {

    final FeedbackAnalyzer analyzer = new FeedbackAnalyzer();

    @Test
    void turkishKeywordsAreStemmedWithoutStopWordsAndWithDottedI() {
        FeedbackAnalyzer.Reading r = analyzer.read("Kargolar çok geç geldi ve İADE istiyorum, bu ürünler kırık");
        assertThat(r.keywords()).contains("kargo", "ürün").doesNotContain("ve", "bu", "çok");
        assertThat(analyzer.keywords("İADE ISLAK")).isEqualTo(analyzer.keywords("iade ıslak")).isNotEmpty();
        assertThat(r.themes()).contains("delivery", "returns", "quality");
        assertThat(r.sentiment()).isEqualTo("negative");
    }

    @Test
    void shortShopWordsAreNotStemmedAway() {
        // Snowball alone: ürün → ür, iade → ia, beden → be, ucuz → uç (and words under 3 letters are dropped)
        assertThat(analyzer.keywords("Ürün iade edildi, beden küçük, ucuz değil")).contains("ürün", "iade", "beden", "ucuz");
        assertThat(analyzer.keywords("ürünler")).containsExactly("ürün");
        assertThat(analyzer.keywords("Siparişim 12345 nerede?")).as("numbers and stop words are no keywords").containsExactly("sipariş");
    }

    @Test
    void sentimentIsNegationAwareInTurkishAndEnglish() {
        assertThat(analyzer.read("Ürün harika, teşekkürler!").sentiment()).isEqualTo("positive");
        assertThat(analyzer.read("Hiç iyi değil").sentiment()).isEqualTo("negative");
        assertThat(analyzer.read("kalite iyi değil").sentiment()).isEqualTo("negative");
        assertThat(analyzer.read("not bad at all").sentiment()).isEqualTo("positive");
        assertThat(analyzer.read("Siparişim nerede?").sentiment()).isEqualTo("neutral");
    }

    @Test
    void negativeRepliesWithAnUrgentWordNeedFollowUp() {
        assertThat(analyzer.read("Rezalet! Acil iade istiyorum, yoksa avukat").urgent()).isTrue();
        assertThat(analyzer.read("Acil teşekkür etmek istedim, harika").urgent()).isFalse();
        assertThat(analyzer.read("Refund now, this is a scam, terrible").urgent()).isTrue();
    }
}
