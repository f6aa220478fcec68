package io.sohbet.kit;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Valid;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommonProblemsTest {

    private static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();

    record Message(@NotBlank String type) {
    }

    record Variant(@NotNull @Valid Message message, @Min(1) int weight) {
    }

    record Definition(@NotBlank String name, List<@Valid Variant> variants, Map<String, @NotBlank String> labels,
            List<@NotBlank String> tags) {
    }

    static class Resource {
        public void create(@NotNull @Valid Definition definition) {
        }

        public void list(@Min(0) int from) {
        }
    }

    @Test
    void violationsOfABodyPointIntoTheBody() throws Exception {
        Definition bad = new Definition("", List.of(new Variant(new Message("ok"), 1), new Variant(new Message(" "), 0)),
                Map.of("segment", ""), List.of("a", ""));
        assertThat(pointers(VALIDATOR.forExecutables().validateParameters(new Resource(),
                Resource.class.getMethod("create", Definition.class), new Object[] {bad})))
                .containsExactlyInAnyOrder("/name", "/variants/1/message/type", "/variants/1/weight", "/labels/segment",
                        "/tags/1");
        assertThat(pointers(VALIDATOR.validate(bad))).contains("/variants/1/message/type", "/tags/1");
    }

    @Test
    void aParameterThatIsItselfWrongIsNamed() throws Exception {
        assertThat(pointers(VALIDATOR.forExecutables().validateParameters(new Resource(),
                Resource.class.getMethod("list", int.class), new Object[] {-1}))).containsExactly("/from");
        assertThat(pointers(VALIDATOR.forExecutables().validateParameters(new Resource(),
                Resource.class.getMethod("create", Definition.class), new Object[] {null}))).containsExactly("/definition");
    }

    @Test
    void unreadableBodiesAreDescribedWithoutJavaTypeNames() {
        record Order(List<Item> items) {
        }
        assertThatThrownBy(() -> new ObjectMapper().readValue("{\"items\":[{\"quantity\":1},{\"quantity\":\"x\"}]}",
                Order.class)).isInstanceOfSatisfying(InvalidFormatException.class, e -> {
                    assertThat(CommonProblems.pointer(e)).isEqualTo("/items/1/quantity");
                    assertThat(CommonProblems.detail(e)).isEqualTo("cannot read the value x as int");
                });
        assertThatThrownBy(() -> new ObjectMapper().readValue("{\"items\":{}}", Order.class))
                .isInstanceOfSatisfying(JsonMappingException.class, e -> {
                    assertThat(CommonProblems.pointer(e)).isEqualTo("/items");
                    assertThat(CommonProblems.detail(e)).isEqualTo("has the wrong type or shape").doesNotContain("java");
                });
    }

    record Item(int quantity) {
    }

    private static List<String> pointers(Set<? extends ConstraintViolation<?>> violations) {
        return violations.stream().map(v -> CommonProblems.pointer(v.getPropertyPath())).toList();
    }
}
