package io.sohbet.webhook.rest;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A shop event, as the shop sends it to {@code POST /webhooks/commerce} (signed with X-Sohbet-Signature). Read by hand
 * from the raw bytes after the signature check, so Quarkus does not see it as a REST type: registered for reflection
 * (with its nested records) for native images.
 */
@RegisterForReflection
@Schema(description = "A shop event. order.* events need `order`, cart.* events need `cart`.")
public record CommerceWebhook(
        @Schema(description = "The shop's own unique event id; a retry with the same id is idempotent", example = "evt-1001")
        @NotBlank @Size(max = 200) String id,
        @Schema(example = "order.paid", enumeration = {"order.created", "order.paid", "order.cancelled", "cart.updated",
                "cart.abandoned", "customer.upserted"})
        @NotNull @Pattern(regexp = TYPES, message = "must be one of " + TYPES) String type,
        @Schema(description = "When it happened; at most sohbet.webhook.commerce.future-tolerance (5 minutes) ahead of "
                + "the service's clock", example = "2026-11-22T10:15:30Z") @NotNull Instant occurredAt,
        @NotNull @Valid Customer customer,
        @Valid Order order,
        @Valid Cart cart) {

    static final String TYPES = "order\\.created|order\\.paid|order\\.cancelled|cart\\.updated|cart\\.abandoned|customer\\.upserted";

    /** The customer; every field but the phone is optional. Personal fields are encrypted before they leave. */
    public record Customer(
            @Schema(description = "In any common spelling; numbers without a country code are read as Turkish",
                    example = "0532 123 45 67") @NotBlank @Size(max = 40) String phone,
            @Email @Size(max = 320) String email,
            @Size(max = 200) String name,
            @Pattern(regexp = "female|male|other|undisclosed", message = "must be female, male, other or undisclosed")
            String gender,
            @Min(1900) @Max(2100) Integer birthYear,
            @Size(max = 100) String city,
            @Schema(description = "Consents the shop collected, by purpose (marketing, analytics, profiling)")
            Map<@Pattern(regexp = "marketing|analytics|profiling", message = "must be marketing, analytics or profiling")
                    String, @NotNull Boolean> consents) {
    }

    public record Order(
            @NotBlank @Size(max = 200) String id,
            @NotNull @DecimalMin("0") BigDecimal total,
            @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as TRY") String currency,
            @Size(max = 500) List<@Valid @NotNull Item> items) {
    }

    public record Cart(
            @NotBlank @Size(max = 200) String id,
            @DecimalMin("0") BigDecimal total,
            @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as TRY") String currency,
            @Size(max = 500) List<@Valid @NotNull Item> items) {
    }

    public record Item(
            @NotBlank @Size(max = 200) String sku,
            @Size(max = 200) String category,
            @Min(1) int quantity,
            @NotNull @DecimalMin("0") BigDecimal unitPrice) {
    }
}
