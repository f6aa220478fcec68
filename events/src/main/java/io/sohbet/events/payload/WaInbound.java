package io.sohbet.events.payload;

import java.time.Instant;
import java.util.List;

/**
 * A message a customer sent to the business ({@code wa.inbound}). Media is referenced by id and MIME type only.
 * Everything the customer wrote ({@code text}: body, caption, location, shared contacts) is encrypted with the
 * subject's key ({@link io.sohbet.events.FieldCipher}); {@code textLength} is kept for content analysis.
 *
 * @param messageType the normalised type: text, image, video, audio, document, sticker, location, contacts,
 *                    interactive, button, reaction, order, system, request_welcome, revoke, edit, unsupported
 * @param rawType     the type exactly as Meta sent it (also for types Sohbet does not know)
 * @param replyId     id of the tapped reply button / list row / template quick-reply payload
 * @param replyTitle  title of the tapped button or row (business-defined text, not the customer's)
 */
public record WaInbound(String wamid, String businessPhoneNumberId, Instant timestamp, String messageType,
        String rawType, String interactiveType, String text, Integer textLength, String mediaId, String mimeType,
        String replyId, String replyTitle, String reactionEmoji, String reactionToWamid, String contextWamid,
        boolean forwarded, String referralSourceType, String referralSourceId, Integer orderItemCount,
        String systemType, List<Integer> errorCodes) {
}
