package io.sohbet.consent.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PastOrPresent;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** A grant or revocation of consent, with its proof. */
public record ConsentRequest(
        @Schema(description = "The person's phone in any common spelling (stored only as a subject id)", example = "0532 123 45 67")
        @NotBlank @Size(max = 40) String phone,
        @Schema(enumeration = {"marketing", "analytics", "profiling"})
        @NotNull @Pattern(regexp = "marketing|analytics|profiling", message = "must be marketing, analytics or profiling") String purpose,
        @Schema(enumeration = {"whatsapp"}, defaultValue = "whatsapp")
        @Pattern(regexp = "whatsapp", message = "must be whatsapp") String channel,
        @Schema(enumeration = {"granted", "revoked"})
        @NotNull @Pattern(regexp = "granted|revoked", message = "must be granted or revoked") String state,
        @Schema(enumeration = {"whatsapp-opt-in", "web-form", "shop", "import", "admin"})
        @NotNull @Pattern(regexp = "whatsapp-opt-in|web-form|shop|import|admin",
                message = "must be whatsapp-opt-in, web-form, shop, import or admin") String source,
        @Schema(description = "The notice shown when consent was given; required for a grant") @Valid Notice notice,
        @Schema(description = "When the person gave or withdrew consent; now when absent") @PastOrPresent Instant capturedAt,
        @Valid Evidence evidence) {

    /** The privacy notice (aydınlatma metni) the person saw. */
    public record Notice(
            @NotBlank @Size(max = 100) String id,
            @NotBlank @Size(max = 40) String version,
            @Schema(description = "SHA-256 of the exact notice text shown, lowercase hex")
            @NotNull @Pattern(regexp = "[0-9a-f]{64}", message = "must be 64 lowercase hex digits") String sha256) {
    }

    /** How the consent was expressed: the opt-in reply's wamid, or the web form's IP address and user agent. */
    public record Evidence(@Size(max = 200) String wamid, @Size(max = 64) String ip, @Size(max = 500) String userAgent) {
    }
}
