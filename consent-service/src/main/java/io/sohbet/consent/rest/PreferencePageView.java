package io.sohbet.consent.rest;

import java.util.List;

/**
 * What the preference page's template shows ({@code templates/PreferencePageResource/page.html}), already in the page's
 * language: no logic in the template beyond choosing which button a purpose gets.
 */
public record PreferencePageView(Words w, String lang, String otherLang, String csrf, String message, List<Row> purposes) {

    /** One purpose: its name, what it is for, its state, since when, the notice version it was granted under. */
    public record Row(String key, String name, String description, String state, boolean granted, String since,
            String grantedUnder, boolean canGrant, boolean withdrawOnly, String noticeId, String noticeVersion, String noticeUrl) {
    }

    /** The page a link opens on: one button that uses the link ({@code action}: the link's own path). */
    public record Open(Words w, String lang, String otherLang, String action) {
    }

    /** The page's fixed words in one language. */
    public record Words(String title, String intro, String otherLanguage, String stateLabel, String sinceLabel,
            String grantedUnderLabel, String withdraw, String grant, String grantNotice, String noNotice, String withdrawOnly,
            String footer, String openIntro, String openButton) {

        static final Words TURKISH = new Words("İzin tercihleriniz",
                "Her amaç için verdiğiniz izni görebilir, geri çekebilir ya da yeniden verebilirsiniz. Değişiklik hemen geçerli olur.",
                "English", "Durum", "Tarih", "İzin verildiği aydınlatma metni sürümü", "İzni geri çek", "İzin ver",
                "İzin verirseniz şu metni okumuş olursunuz:", "Bu amaç için burada izin verilemez: aydınlatma metni tanımlı değil.",
                "Bu bağlantı size başkası tarafından gönderildi: onunla yalnızca izin geri çekilebilir. İzin vermek için kendi "
                        + "istediğiniz bağlantıyı kullanın: WhatsApp'tan TERCİHLERİM yazın.",
                "Bu sayfa size gönderilen tek kullanımlık bağlantıyla açıldı; kısa süre sonra kapanır. Yeni bir bağlantı için "
                        + "WhatsApp'tan TERCİHLERİM yazın.",
                "Bu bağlantı tek kullanımlıktır. İzinlerinizi görmek ve değiştirmek için düğmeye basın; sayfa kısa bir süre açık kalır.",
                "Tercihlerimi aç");

        static final Words ENGLISH = new Words("Your consent preferences",
                "For each purpose you can see your consent, withdraw it or give it again. A change takes effect at once.",
                "Türkçe", "State", "Date", "Notice version it was given under", "Withdraw consent", "Give consent",
                "By giving consent you confirm you have read:", "Consent for this purpose cannot be given here: no notice is configured.",
                "This link was sent to you by someone else: it can only withdraw consent. To give consent, use a link you ask "
                        + "for yourself: write PREFERENCES on WhatsApp.",
                "This page was opened with a one-time link sent to you and closes soon. For a new link, write PREFERENCES on WhatsApp.",
                "This link works once. Press the button to see and change your consents; the page stays open for a short while.",
                "Open my preferences");
    }

    /** A page with a message only (unknown or expired link, bad request), in both languages: no detail about anyone. */
    public record Message(String title, String text, String titleEn, String textEn) {
    }
}
