package io.sohbet.console.service;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The console's texts, Turkish first ({@code msg:key} in the templates); English in {@code messages/msg_en.properties}.
 */
@MessageBundle(value = "msg", locale = "tr")
public interface ConsoleMessages {

    @Message("Sohbet Konsolu")
    String app_title();

    @Message("İçeriğe geç")
    String skip();

    @Message("Ana menü")
    String nav_label();

    @Message("Başlangıç")
    String nav_home();

    @Message("İlgili kişi başvuruları")
    String nav_dsr();

    @Message("Rıza sorgulama")
    String nav_consent();

    @Message("Denetim kaydı")
    String nav_audit();

    @Message("İmha kayıtları")
    String nav_destruction();

    @Message("İYS eşitleme durumu")
    String nav_iys();

    @Message("Kampanya sonuçları")
    String nav_campaigns();

    @Message("Oturum:")
    String signed_in();

    @Message("Çıkış")
    String logout();

    @Message("Dil")
    String language();

    @Message("Uygula")
    String apply();

    @Message("Süz")
    String filter();

    @Message("Saatler {zone} saat diliminde")
    String times_in(String zone);

    @Message("Hoş geldiniz")
    String home_title();

    @Message("Rolünüzün açabildiği sayfalar:")
    String home_intro();

    @Message("Kişisel veriler")
    String home_privacy();

    @Message("Analiz")
    String home_analytics();

    @Message("Rolünüz için bu konsolda sayfa yok.")
    String home_nothing();

    @Message("Yetkiniz yok")
    String error_403();

    @Message("Bu sayfa için rolünüz yetmiyor.")
    String error_403_text();

    @Message("Bulunamadı")
    String error_404();

    @Message("Aradığınız kayıt yok.")
    String error_404_text();

    @Message("Hizmet yanıt vermedi")
    String error_502();

    @Message("Arka plandaki hizmetlerden biri yanıt vermedi; biraz sonra yeniden deneyin.")
    String error_502_text();

    @Message("İstek tamamlanamadı: arka plandaki hizmetlerden biri yanıt vermedi. Hiçbir şey değişmemiş olabilir; biraz sonra yeniden deneyin.")
    String error_request_server();

    @Message("İstek konsola ulaşmadı ya da yanıtı zamanında gelmedi; bağlantınızı denetleyip yeniden deneyin.")
    String error_request_network();

    @Message("Başvuru kaydet")
    String dsr_file();

    @Message("Durum")
    String dsr_status();

    @Message("Tümü")
    String dsr_all();

    @Message("Başvurular, en yenisi önce")
    String dsr_queue_caption();

    @Message("Başvuru")
    String dsr_request();

    @Message("Tür")
    String dsr_type();

    @Message("Erişim (verilerimin kopyası)")
    String dsr_type_access();

    @Message("Silme")
    String dsr_type_erasure();

    @Message("Özne")
    String dsr_subject();

    @Message("Alındı")
    String dsr_received();

    @Message("Son gün")
    String dsr_due();

    @Message("Kalan gün")
    String dsr_days_left();

    @Message("süresi geçti")
    String dsr_overdue();

    @Message("Başvuru yok.")
    String dsr_none();

    @Message("Son gün, KVKK'nın 30 günü ile GDPR'ın bir ayından erken olanıdır (consent-service). Kalan gün sizin saat diliminizde takvim günüdür: 10 ve üstü yeşil, 10'dan az sarı, 5'ten az ya da süresi geçmiş kırmızı.")
    String dsr_days_rule();

    @Message("Telefon")
    String dsr_phone();

    @Message("Ülke (uluslararası yazılmadıysa)")
    String dsr_country();

    @Message("Kaydet")
    String dsr_submit();

    @Message("Kaydeden")
    String dsr_requested_by();

    @Message("KVKK son günü")
    String dsr_deadline_kvkk();

    @Message("GDPR son günü")
    String dsr_deadline_gdpr();

    @Message("Tamamlandı")
    String dsr_completed();

    @Message("Hizmetlerin ilerlemesi")
    String dsr_progress();

    @Message("Satır")
    String dsr_rows();

    @Message("Hizmet")
    String service();

    @Message("Zaman")
    String at();

    @Message("Hata")
    String error();

    @Message("Yenile")
    String refresh();

    @Message("Özne kimliği")
    String consent_subject();

    @Message("Sorgula")
    String consent_lookup();

    @Message("Telefonla sorgula")
    String consent_lookup_phone();

    @Message("Telefon yalnızca isteğin gövdesinde gider (adreste, kayıtlarda görünmez); sorgu denetim kaydına yazılır.")
    String consent_phone_help();

    @Message("Güncel durum")
    String consent_current();

    @Message("Tüm geçmiş")
    String consent_history();

    @Message("Amaç")
    String consent_purpose();

    @Message("Kanal")
    String consent_channel();

    @Message("Durum")
    String consent_state();

    @Message("Kaynak")
    String consent_source();

    @Message("Aydınlatma metni")
    String consent_notice();

    @Message("Kanıt")
    String consent_evidence();

    @Message("Kaydeden")
    String consent_recorded_by();

    @Message("Alındığı an")
    String consent_captured();

    @Message("Kaydedildiği an")
    String consent_recorded();

    @Message("var")
    String yes();

    @Message("yok")
    String no();

    @Message("Kayıt yok.")
    String none();

    @Message("Daha eski kayıtlar")
    String older();

    @Message("Zinciri doğrula")
    String audit_verify();

    @Message("Denetim kaydı, en yenisi önce")
    String audit_caption();

    @Message("Kim")
    String audit_actor();

    @Message("İşlem")
    String audit_action();

    @Message("Zincir sağlam: hiçbir kayıt değiştirilmemiş, eklenmemiş ya da silinmemiş.")
    String audit_valid();

    @Message("Zincir BOZUK.")
    String audit_invalid();

    @Message("Denetlenen kayıt")
    String audit_checked();

    @Message("İlk bozuk kayıt")
    String audit_first_invalid();

    @Message("Zincirin sonu")
    String audit_head();

    @Message("Yayımlanan son baş")
    String audit_published();

    @Message("Başlangıç")
    String from();

    @Message("Bitiş")
    String to();

    @Message("Tarihler sizin saat diliminizde takvim günüdür; boş bırakılırsa son 6 ay.")
    String destruction_rule();

    @Message("Veri kümesi")
    String destruction_dataset();

    @Message("Kategori")
    String destruction_category();

    @Message("Kayıt")
    String destruction_records();

    @Message("Yöntem")
    String destruction_method();

    @Message("Tetikleyen")
    String destruction_trigger();

    @Message("Hukuki gerekçe")
    String destruction_reason();

    @Message("Denetim kaydı no")
    String destruction_audit();

    @Message("İYS eşitlemesi kapalı.")
    String iys_disabled();

    @Message("İYS'ye yansıtılan kanallar")
    String iys_channels();

    @Message("İYS türü")
    String iys_type();

    @Message("Gönderimde uygulanıyor")
    String iys_enforced();

    @Message("Durumlarına göre kayıtlar")
    String iys_records();

    @Message("3 iş günü süresi geçmiş")
    String iys_overdue();

    @Message("Bir gün içinde süresi dolacak")
    String iys_due_soon();

    @Message("Vatandaş değişiklikleri en son okundu:")
    String iys_feed();

    @Message("İYS'nin reddettiği ya da gönderilemeyen kayıtlar")
    String iys_problems();

    @Message("Deneme")
    String iys_attempts();

    @Message("Son gün")
    String iys_deadline();

    @Message("Dönem")
    String period();

    @Message("Son {n} gün")
    String days(int n);

    @Message("Bu dönem")
    String period_now();

    @Message("Önceki dönem")
    String period_before();

    @Message("Oranlar metrics-service'in verdiği yüzdelerdir (iki ondalık); paydası sıfır olan oran – gösterilir.")
    String rates_rule();

    @Message("Dönemde gönderilen kampanyalar")
    String campaigns_caption();

    @Message("Kampanya")
    String campaign();

    @Message("(kampanyasız mesajlar)")
    String no_campaign();

    @Message("Önceki")
    String previous();

    @Message("Gönderilen")
    String m_sent();

    @Message("İletilen")
    String m_delivered();

    @Message("Okunan")
    String m_read();

    @Message("Tıklayan")
    String m_clicked();

    @Message("Dönüşen")
    String m_converted();

    @Message("Başarısız")
    String m_failed();

    @Message("İletim oranı %")
    String m_delivery_rate();

    @Message("Okunma oranı %")
    String m_open_rate();

    @Message("Tıklama oranı %")
    String m_ctr();

    @Message("Dönüşüm oranı %")
    String m_conversion_rate();

    @Message("Ayrılma oranı %")
    String m_opt_out_rate();

    @Message("Etkileşim oranı %")
    String m_engagement_rate();

    @Message("Teslim hunisi")
    String funnel();

    @Message("{campaign} kampanyasının teslim hunisi")
    String funnel_title(String campaign);

    @Message("Adım")
    String step();

    @Message("Sayı")
    String count();

    @Message("Oranlar")
    String rates();

    @Message("Başarısızlık nedenleri")
    String failures();

    @Message("Toplam")
    String failures_total();

    @Message("Meta'nın kişi başı sınırı (131049)")
    String failures_ecosystem();

    @Message("Hız sınırı")
    String failures_rate();

    @Message("Hata koduna göre")
    String failures_by_code();

    @Message("Kod")
    String code();

    @Message("Tür")
    String kind();

    @Message("Mesaj")
    String messages();

    @Message("A/B testi")
    String ab();

    @Message("Ölçüt")
    String ab_metric();

    @Message("Anlamlı: kazanan belli.")
    String ab_significant();

    @Message("Umut verici: fark anlamlı, ama örneklem henüz yetmiyor.")
    String ab_promising();

    @Message("Anlamlı değil: örneklem yeterli, fark yok.")
    String ab_not_significant();

    @Message("Belirsiz: henüz bir şey söylenemez.")
    String ab_inconclusive();

    @Message("Kazanan")
    String ab_winner();

    @Message("varyant başına en az {n} örnek gerekir")
    String ab_minimum(int n);

    @Message("Varyantlar")
    String ab_variants();

    @Message("Varyant")
    String variant();

    @Message("Başarı")
    String ab_successes();

    @Message("Deneme")
    String ab_trials();

    @Message("Gereken ek örnek")
    String ab_needed();

    @Message("Karar metrics-service'in testinden okunur: anlamlı ve örneklem yeterli → anlamlı; anlamlı ama örneklem eksik → umut verici; örneklem yeterli, anlamlı değil → anlamlı değil; geri kalan → belirsiz.")
    String ab_rule();

    @Message("Bu kampanyada A/B testi yok.")
    String ab_none();

    @Message("Okunma saatleri")
    String heat();

    @Message("Yedi günün ilki")
    String heat_week();

    @Message("Saatler ve günler {zone} saat diliminde (metrics-service).")
    String heat_zone(String zone);

    @Message("Gün ve saate göre okunmalar ({zone})")
    String heat_title(String zone);

    @Message("Gün ve saate göre okunmalar, saatler {zone}")
    String heat_table(String zone);

    @Message("Gün")
    String day();

    @Message("Yanıt")
    String csat_responses();

    @Message("Olumlu (4–5)")
    String csat_positive();

    @Message("CSAT")
    String csat_score();

    @Message("Puana göre yanıtlar")
    String csat_by_score();

    @Message("Puan")
    String csat_score_col();

    @Message("Yanıt")
    String csat_answers();

    @Message("CSAT = 4 ya da 5 puanlı yanıtlar / tüm yanıtlar × 100 (metrics-service).")
    String csat_rule();

    @Message("Geri bildirim")
    String feedback();

    @Message("Yanıt")
    String feedback_replies();

    @Message("Olumlu")
    String feedback_positive();

    @Message("Nötr")
    String feedback_neutral();

    @Message("Olumsuz")
    String feedback_negative();

    @Message("Sık geçen sözcükler (yeterince farklı müşteri kullandıysa)")
    String feedback_keywords();

    @Message("Konular")
    String feedback_themes();

    @Message("Sözcük")
    String keyword();

    @Message("Konu")
    String theme();

    @Message("Maliyet ve getiri")
    String cost();

    @Message("Varyantlara göre")
    String by_variant();

    @Message("Varyantlara göre teslim ve tepkiler")
    String by_variant_funnel();

    @Message("Varyantlara göre maliyet ve getiri")
    String by_variant_cost();

    @Message("Tüm alıcılar")
    String all_recipients();

    @Message("Yanıtlayan")
    String m_replied();

    @Message("Tutarlar metrics-service'in yanıtladığı gibidir (dört ondalık; getiri iki); demo da aynı rakamları yazar.")
    String by_variant_rule();

    @Message("Tutar")
    String cost_amount();

    @Message("Ücretli iletim")
    String cost_charged();

    @Message("Ücretsiz iletim")
    String cost_free();

    @Message("Fiyatsız iletim")
    String cost_unpriced();

    @Message("İletim başına")
    String cost_per_delivered();

    @Message("Okunma başına")
    String cost_per_read();

    @Message("Tıklayan başına")
    String cost_per_click();

    @Message("Dönüşen başına")
    String cost_per_conversion();

    @Message("Gelir")
    String cost_revenue();

    @Message("Harcama getirisi")
    String cost_return();

    @Message("Segmentler")
    String nav_segments();

    @Message("Kampanyalar")
    String nav_marketing_campaigns();

    @Message("Yeni kampanya")
    String nav_campaign_new();

    @Message("Pazarlama")
    String home_marketing();

    @Message("Segment oluştur")
    String seg_builder();

    @Message("Kural segment-service'in kural dilindedir (JSON). Yazdıkça önizleme güncellenir; yeni önizleme bir öncekini iptal eder.")
    String seg_intro();

    @Message("Segmentler ve üye sayıları")
    String seg_list();

    @Message("Segment kimliği")
    String seg_id();

    @Message("Ad")
    String seg_name();

    @Message("Açıklama")
    String seg_description();

    @Message("Üye")
    String seg_members();

    @Message("Durum")
    String seg_state();

    @Message("hazır")
    String seg_built_in();

    @Message("Bozuk")
    String seg_broken();

    @Message("en küçük segment boyutunun ({n}) altında")
    String seg_small(int n);

    @Message("{id} segmenti kaydedildi; üyeleri bir sonraki değerlendirmede hesaplanır.")
    String seg_saved(String id);

    @Message("Kural")
    String seg_rule();

    @Message("Düğümler: all (hepsi), any (biri), not, inSegment ve attr, op, value üçlüsüyle koşullar (örneğin orders30d >= 3).")
    String seg_rule_help();

    @Message("Önizle")
    String seg_preview();

    @Message("Segmenti kaydet")
    String seg_save();

    @Message("Şu an eşleşen profil")
    String seg_count();

    @Message("Rızayla ulaşılabilen")
    String seg_reachable();

    @Message("Tahmindir: segment-service'in en son duyduğu WhatsApp pazarlama rızasına göre. Gönderimde rıza yeniden sorulur; İYS ve sessiz saatler sayılmaz.")
    String seg_reachable_note();

    @Message("Örnek özne kimlikleri")
    String seg_sample();

    @Message("satır {line}, sütun {column}")
    String seg_at(int line, int column);

    @Message("Kuralın ağacı")
    String seg_tree();

    @Message("Yeni kampanya oluştur")
    String camp_new();

    @Message("Kampanyalar, en yenisi önce")
    String camp_list();

    @Message("Hedef kitle")
    String camp_audience();

    @Message("Başlangıç")
    String camp_start();

    @Message("Oluşturan")
    String camp_created_by();

    @Message("Başlat, taslağı oluşturur ve zamanlar; campaign-service her alanı doğrular, sorunlar alanların yanında görünür.")
    String camp_intro();

    @Message("Kampanya adı")
    String camp_name();

    @Message("Hedef")
    String camp_target();

    @Message("Hariç tut")
    String camp_exclude();

    @Message("Kontrol grubu %")
    String camp_holdout();

    @Message("Varyant A")
    String camp_variant_a();

    @Message("Varyant B (A/B testi için)")
    String camp_variant_b();

    @Message("B yok")
    String camp_no_variant_b();

    @Message("Şablon (eşitlenmiş liste)")
    String camp_template();

    @Message("{n} gövde parametresi")
    String camp_parameters(int n);

    @Message("Pay (bölüşüm ağırlığı)")
    String camp_weight();

    @Message("Gövde parametreleri, satır başına bir")
    String camp_body();

    @Message("Önce bir test aşaması, sonra kazanan")
    String camp_ab_on();

    @Message("Test edilen kitle %")
    String camp_ab_percent();

    @Message("Test süresi (saat)")
    String camp_ab_hours();

    @Message("Anlamlı kazanan yoksa")
    String camp_ab_fallback();

    @Message("Zamanlama")
    String camp_schedule();

    @Message("Gönderim zamanı")
    String camp_send_time();

    @Message("Herkese başlangıçta")
    String camp_mode_at();

    @Message("Herkese en iyi okuma saatinde")
    String camp_mode_best();

    @Message("Herkese kendi yerel saatinde")
    String camp_mode_local();

    @Message("Başlangıç ({zone}; boş: hemen)")
    String camp_start_at(String zone);

    @Message("En iyi saat penceresi (saat)")
    String camp_window();

    @Message("Yerel saat (her alıcının kendi saat diliminde)")
    String camp_local_time();

    @Message("Sessiz saatler (her alıcının kendi saat diliminde)")
    String camp_quiet();

    @Message("Yapılandırılmış olanlar")
    String camp_quiet_default();

    @Message("Bu saatler")
    String camp_quiet_on();

    @Message("Yok")
    String camp_quiet_off();

    @Message("Sıklık sınırı")
    String camp_cap();

    @Message("En çok mesaj")
    String camp_cap_messages();

    @Message("Gün içinde")
    String camp_cap_days();

    @Message("İzlenen bağlantının hedefi (boş: yok)")
    String camp_link_target();

    @Message("Şablonun URL düğmesi (0-9)")
    String camp_link_button();

    @Message("Gönderim")
    String camp_delivery();

    @Message("Kampanyadan sonra memnuniyet (CSAT) anketi sor")
    String camp_csat();

    @Message("Gönderim yolu")
    String camp_send_path();

    @Message("Cloud API mesajları")
    String camp_path_messages();

    @Message("Marketing Messages")
    String camp_path_marketing();

    @Message("Başlat")
    String camp_launch();

    @Message("Canlı ilerleme")
    String camp_progress();

    @Message("Alıcılar, durumlarına göre")
    String camp_states();

    @Message("Duraklatıldı")
    String camp_paused();

    @Message("Kampanya raporu")
    String camp_report();
}
