package io.sohbet.consent.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A data-subject request: who it is about (phone or subject id, exactly one) and what the person asks for. */
public record DsrSubmission(
        @Schema(enumeration = {"access", "erasure", "rectification", "objection"})
        @NotNull @Pattern(regexp = "access|erasure|rectification|objection",
                message = "must be access, erasure, rectification or objection") String type,
        @Schema(description = "The person's phone in any common spelling", example = "+90 532 123 45 67")
        @Size(max = 40) String phone,
        @Schema(description = "Or the subject id, when the phone is not at hand")
        @Pattern(regexp = "[A-Za-z0-9_-]{16,64}", message = "must be a subject id") String subjectId,
        @Schema(description = "For a rectification: the corrected name and/or e-mail") @Valid Changes changes) {

    public record Changes(@Size(min = 1, max = 200) String name, @Email @Size(max = 254) String email) {
    }
}
