package io.sohbet.consent.service;

import java.util.Map;

/** Words the self-service answers share, in Turkish and English. */
final class SelfServiceTexts {

    private static final Map<String, String[]> PURPOSES = Map.of(
            "marketing", new String[] {"Pazarlama mesajları", "Marketing messages"},
            "analytics", new String[] {"Analiz", "Analytics"},
            "profiling", new String[] {"Profilleme ve kişiselleştirme", "Profiling and personalisation"});

    private static final Map<String, String[]> STATES = Map.of(
            "granted", new String[] {"izin verildi", "granted"},
            "revoked", new String[] {"geri çekildi", "withdrawn"});

    private static final Map<String, String> CATEGORIES = Map.of(
            "Kimlik", "Identity",
            "İletişim", "Contact",
            "Müşteri İşlem", "Customer transactions",
            "Pazarlama", "Marketing",
            "İşlem Güvenliği", "Transaction security",
            "Hukuki İşlem", "Legal transactions",
            "Lokasyon", "Location");

    private SelfServiceTexts() {
    }

    static String purpose(String purpose, boolean english) {
        String[] names = PURPOSES.get(purpose);
        return names == null ? purpose : names[english ? 1 : 0];
    }

    static String state(String state, boolean english) {
        String[] names = STATES.get(state);
        return names == null ? state : names[english ? 1 : 0];
    }

    /** A VERBİS category (the inventories' Turkish name), in the answer's language. */
    static String category(String category, boolean english) {
        return english ? CATEGORIES.getOrDefault(category, category) : category;
    }
}
