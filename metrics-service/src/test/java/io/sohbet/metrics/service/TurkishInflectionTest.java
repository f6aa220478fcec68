package io.sohbet.metrics.service;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sentiment and theme words match inflected Turkish (possessives, plurals, cases, past tense), through the stems of
 * Lucene's Turkish chain, not only the exact forms in the lexicons.
 */
class TurkishInflectionTest {

    final FeedbackAnalyzer analyzer = new FeedbackAnalyzer();

    @Test
    void inflectedFormsFindTheirThemes() {
        assertThat(analyzer.read("Kargom nerede?").themes()).containsExactly("delivery");
        assertThat(analyzer.read("KARGONUZ hâlâ yok").themes()).containsExactly("delivery");
        assertThat(analyzer.read("Teslimatınız çok yavaştı").themes()).contains("delivery");
        assertThat(analyzer.read("Fiyatlarınız uygun").themes()).containsExactly("price");
        assertThat(analyzer.read("Müşteri desteğiniz ilgisiz").themes()).contains("service");
    }

    @Test
    void inflectedFormsCarryTheirSentiment() {
        assertThat(analyzer.read("Ürünler harikaydı").sentiment()).isEqualTo("positive");
        assertThat(analyzer.read("Çok memnunuz").sentiment()).isEqualTo("positive");
        assertThat(analyzer.read("Paket kötüydü, ürün bozuktu").sentiment()).isEqualTo("negative");
        assertThat(analyzer.read("Harikaydı değil").sentiment()).as("the negator after it still flips it").isEqualTo("negative");
        assertThat(analyzer.read("Rezaletti, acil dönüş bekliyorum").urgent()).isTrue();
    }
}
