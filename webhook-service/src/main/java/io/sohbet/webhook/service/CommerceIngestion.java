package io.sohbet.webhook.service;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.smallrye.mutiny.Uni;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.InvalidPhoneNumberException;
import io.sohbet.events.ShopIds;
import io.sohbet.events.SubjectIds;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.CommerceEvent;
import io.sohbet.kit.CommonProblems;
import io.sohbet.kit.Problem;
import io.sohbet.webhook.config.WebhookConfig;
import io.sohbet.webhook.domain.CommerceReceipt;
import io.sohbet.webhook.messaging.EventPublisher;
import io.sohbet.webhook.repository.CommerceReceiptRepository;
import io.sohbet.webhook.rest.CommerceWebhook;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Shop webhooks: verify the signature, validate, turn the phone into a subject id, seal the personal fields, replace
 * the shop's ids (event, order, cart) by their keyed hashes ({@link ShopIds#hash}, every id: an order id points at the
 * customer in the shop's database), publish a {@code commerce.event}, and remember the hashed shop event id with a
 * keyed fingerprint of the body ({@link BodyFingerprints}) so that retries are idempotent. An event dated more than
 * {@code sohbet.webhook.commerce.future-tolerance} ahead of the clock is refused (400): its details would outrank every
 * later sighting and rectification. An event that happened ({@code occurredAt}) at or before the customer's erasure is not published (the
 * vault gives no key for it) and is answered like a published one, so that the shop stops re-sending it.
 */
@ApplicationScoped
public class CommerceIngestion {

    private final SignatureVerifier signatures;
    private final SubjectIds subjectIds;
    private final ShopIds shopIds;
    private final Validator validator;
    private final SubjectSealers keys;
    private final EventPublisher publisher;
    private final CommerceReceiptRepository receipts;
    private final ErasedEventDrops drops;
    private final BodyFingerprints fingerprints;
    private final java.time.Duration futureTolerance;
    private final java.time.Duration timestampTolerance;

    /** The shop's signature header: {@code sha256=<hex HMAC-SHA256(secret, "<timestamp>." + body)>}. */
    public static final String SIGNATURE = "X-Sohbet-Signature";
    /** When the shop signed the delivery, in Unix seconds. */
    public static final String TIMESTAMP = "X-Sohbet-Timestamp";

    public CommerceIngestion(WebhookConfig config, Validator validator, SubjectSealers keys, EventPublisher publisher,
            CommerceReceiptRepository receipts, ErasedEventDrops drops) {
        this.signatures = new SignatureVerifier(List.of(config.commerce().secret(), config.commerce().previousSecret().orElse("")));
        this.timestampTolerance = config.commerce().timestampTolerance();
        this.subjectIds = new SubjectIds(config.pepper().getBytes(StandardCharsets.UTF_8), config.defaultRegion());
        this.shopIds = ShopIds.withKey(config.messageIdKey());
        this.validator = validator;
        this.keys = keys;
        this.publisher = publisher;
        this.receipts = receipts;
        this.drops = drops;
        this.fingerprints = new BodyFingerprints(config.messageIdKey());
        this.futureTolerance = config.commerce().futureTolerance();
    }

    /** The outcome of one delivery. */
    public record Outcome(String eventId, boolean duplicate) {
    }

    public Uni<Outcome> ingest(byte[] body, String signature, String timestamp) {
        verify(body, signature, timestamp);
        CommerceWebhook hook = parse(body);
        validate(hook);
        String subject;
        try {
            subject = subjectIds.fromPhone(hook.customer().phone());
        } catch (InvalidPhoneNumberException e) {
            throw new RequestValidationException("the request is invalid",
                    List.of(new Problem.FieldError("/customer/phone", e.getMessage())));
        }
        String fingerprint = fingerprints.of(body);
        String shopEventId = shopIds.hash(hook.id()); // from the shop: hashed whatever it looks like
        String eventId = ShopIds.EVENT_KIND + shopEventId;
        return receipts.find(shopEventId).flatMap(existing -> {
            if (existing != null) {
                if (!fingerprints.matches(existing.bodySha256(), body)) {
                    return Uni.createFrom().failure(new CommerceConflictException(hook.id()));
                }
                return Uni.createFrom().item(new Outcome(eventId, true));
            }
            return keys.sealerFor(Map.of(subject, hook.occurredAt())).onFailure().transform(KeyVaultUnavailableException::new)
                    .flatMap(sealing -> {
                        if (sealing.erased(subject, hook.occurredAt())) {
                            // about a person erased since it happened: not published; the receipt makes retries duplicates
                            drops.count(Topics.COMMERCE_EVENT);
                            return Uni.createFrom().voidItem();
                        }
                        CloudEvent event = CloudEvent.of(Topics.COMMERCE_EVENT, eventId, EventDraft.SOURCE, hook.occurredAt(),
                                subject, payload(hook, shopIds, subject, sealing.sealer()));
                        return publisher.publishAll(List.of(EventPublisher.Outgoing.of(Topics.COMMERCE_EVENT, subject, event)));
                    })
                    // a concurrent delivery of the same event stored its receipt first: same event id, fine (kept as it was);
                    // a receipt that cannot be stored now only makes a retry publish again (consumers drop the same event id)
                    .flatMap(published -> receipts.store(new CommerceReceipt(shopEventId, fingerprint, hook.type(), Instant.now()))
                            .replaceWithVoid().onFailure().recoverWithNull())
                    .replaceWith(new Outcome(eventId, false));
        });
    }

    /**
     * The signature covers {@code "<timestamp>."} and the body, so that a captured delivery cannot be sent again once
     * its timestamp is more than {@code timestamp-tolerance} away from this service's clock (the shop signs each
     * attempt afresh); checked after the signature, so that only the shop learns that its clock or its retry is off.
     */
    private void verify(byte[] body, String signature, String timestamp) {
        if (timestamp == null || !timestamp.matches("\\d{1,12}")) {
            throw InvalidSignatureException.because(TIMESTAMP + " (Unix seconds) is missing or not a number");
        }
        if (!signatures.verify((timestamp + ".").getBytes(StandardCharsets.US_ASCII), body, signature)) {
            throw new InvalidSignatureException(SIGNATURE);
        }
        long skew = Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp));
        if (skew > timestampTolerance.toSeconds()) {
            throw InvalidSignatureException.because(TIMESTAMP + " is " + skew + " s away from the service's clock, more than "
                    + timestampTolerance.toSeconds() + " s: sign every attempt afresh");
        }
    }

    private static CommerceEvent payload(CommerceWebhook hook, ShopIds shopIds, String subject, Sealer sealer) {
        CommerceWebhook.Customer c = hook.customer();
        CommerceWebhook.Order order = hook.order();
        CommerceWebhook.Cart cart = hook.cart();
        List<CommerceWebhook.Item> items = order != null ? order.items() : cart != null ? cart.items() : null;
        return new CommerceEvent(shopIds.hash(hook.id()), hook.type(), hook.occurredAt(),
                order == null ? null : shopIds.hash(order.id()), cart == null ? null : shopIds.hash(cart.id()),
                order != null ? order.total() : cart != null ? cart.total() : null,
                order != null ? order.currency() : cart != null ? cart.currency() : null,
                items == null ? List.of() : items.stream().map(i -> new CommerceEvent.Item(i.sku(), i.category(),
                        i.quantity(), i.unitPrice())).toList(),
                new CommerceEvent.Customer(sealer.seal(subject, c.phone()), sealer.seal(subject, c.email()),
                        sealer.seal(subject, c.name()), sealer.seal(subject, c.gender()),
                        c.birthYear() == null ? null : sealer.seal(subject, c.birthYear().toString()),
                        sealer.seal(subject, c.city()), c.consents()));
    }

    private static CommerceWebhook parse(byte[] body) {
        try {
            CommerceWebhook hook = WebhookJson.mapper().readValue(body, CommerceWebhook.class);
            if (hook == null) {
                throw new InvalidWebhookException("the body is empty");
            }
            return hook;
        } catch (MismatchedInputException e) {
            String pointer = CommonProblems.pointer(e);
            throw new RequestValidationException("the request is invalid",
                    List.of(new Problem.FieldError(pointer, "has the wrong type or format")));
        } catch (JsonMappingException e) {
            throw new RequestValidationException("the request is invalid",
                    List.of(new Problem.FieldError(CommonProblems.pointer(e), "cannot be read")));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidWebhookException("the body is not valid JSON");
        } catch (IOException e) {
            throw new InvalidWebhookException("the body cannot be read");
        }
    }

    private void validate(CommerceWebhook hook) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<CommerceWebhook> v : validator.validate(hook)) {
            errors.add(new Problem.FieldError(CommonProblems.pointer(v.getPropertyPath()), v.getMessage()));
        }
        if (hook.type() != null && hook.type().startsWith("order.") && hook.order() == null) {
            errors.add(new Problem.FieldError("/order", "is required for " + hook.type()));
        }
        if (hook.type() != null && hook.type().startsWith("cart.") && hook.cart() == null) {
            errors.add(new Problem.FieldError("/cart", "is required for " + hook.type()));
        }
        if (hook.occurredAt() != null && hook.occurredAt().isAfter(Instant.now().plus(futureTolerance))) {
            String tolerance = futureTolerance.toSeconds() % 60 == 0 ? futureTolerance.toMinutes() + " minutes"
                    : futureTolerance.toSeconds() + " seconds";
            errors.add(new Problem.FieldError("/occurredAt", "is more than " + tolerance
                    + " in the future: give the time the event happened, with its UTC offset"));
        }
        if (!errors.isEmpty()) {
            errors.sort(Comparator.comparing(Problem.FieldError::pointer));
            throw new RequestValidationException("the request is invalid", errors);
        }
    }
}
