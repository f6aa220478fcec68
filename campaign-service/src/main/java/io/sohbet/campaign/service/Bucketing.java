package io.sohbet.campaign.service;

import io.sohbet.campaign.domain.CampaignDefinition.Variant;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Deterministic assignment of a recipient within a campaign: hold-out, test phase and variant each come from their
 * own hash of (purpose, campaign, subject), so the same person always lands in the same group of the same campaign
 * (re-planning after a crash changes nothing), the groups are independent of one another, and different campaigns
 * split the audience differently.
 */
public final class Bucketing {

    private Bucketing() {
    }

    /** A number in [0, 1), uniform over subjects, from SHA-256(purpose \n campaign \n subject). */
    static double unit(String purpose, String campaignId, String subjectId) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha.digest((purpose + '\n' + campaignId + '\n' + subjectId).getBytes(StandardCharsets.UTF_8));
            return (ByteBuffer.wrap(digest).getLong() >>> 11) * 0x1.0p-53;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    public static boolean heldOut(String campaignId, String subjectId, int holdoutPercent) {
        return holdoutPercent > 0 && unit("holdout", campaignId, subjectId) * 100 < holdoutPercent;
    }

    public static boolean inTestPhase(String campaignId, String subjectId, int testPercent) {
        return unit("test", campaignId, subjectId) * 100 < testPercent;
    }

    /** The variant by weight. */
    public static String variant(String campaignId, String subjectId, List<Variant> variants) {
        if (variants.size() == 1) {
            return variants.get(0).id();
        }
        long total = variants.stream().mapToLong(Variant::weightOrOne).sum();
        double point = unit("variant", campaignId, subjectId) * total;
        double cumulative = 0;
        for (Variant v : variants) {
            cumulative += v.weightOrOne();
            if (point < cumulative) {
                return v.id();
            }
        }
        return variants.get(variants.size() - 1).id();
    }

    /** A fraction of an hour to spread recipients who share a best hour over that hour. */
    public static double spread(String campaignId, String subjectId) {
        return unit("spread", campaignId, subjectId);
    }
}
