package io.sohbet.consent.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A data-subject request: who it is about (phone, with its country when it is not written internationally, or subject
 * id; exactly one) and what the person asks for.
 */
public record DsrSubmission(
        @Schema(enumeration = {"access", "erasure", "rectification", "objection"})
        @NotNull @Pattern(regexp = "access|erasure|rectification|objection",
                message = "must be access, erasure, rectification or objection") String type,
        @Schema(description = "The person's phone, international (+ or 00 and the country code) or with `country`. A "
                + "number without either is taken only when it cannot be read two ways: 0532 123 45 67 is Turkish, "
                + "5351234567 is refused (a Cuban number as a WhatsApp id, a Turkish one as a local number)",
                example = "+90 532 123 45 67")
        @Size(max = 40) String phone,
        @Schema(description = "The country of a phone written without its country code (ISO 3166-1 alpha-2)", example = "TR")
        @Pattern(regexp = "[A-Z]{2}", message = "must be an ISO 3166-1 alpha-2 code such as TR") String country,
        @Schema(description = "Or the subject id, when the phone is not at hand")
        @Pattern(regexp = "[A-Za-z0-9_-]{16,64}", message = "must be a subject id") String subjectId,
        @Schema(description = "For a rectification: the corrected name and/or e-mail") @Valid Changes changes) {

    public record Changes(@Size(min = 1, max = 200) String name, @Email @Size(max = 254) String email) {
    }
}
