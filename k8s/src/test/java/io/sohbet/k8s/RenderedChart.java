package io.sohbet.k8s;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** The chart in this folder, linted and rendered offline with helm-java, read back as typed Kubernetes objects. */
final class RenderedChart {

    static final Path CHART = Path.of("").toAbsolutePath();
    static final String RELEASE = "shop";
    /** What a deployment must set beyond values.yaml; a null value set means values.yaml plus this. */
    static final Path REQUIRED = CHART.resolve("src/test/resources/required-values.yaml");
    private static final Set<String> NOT_CHART = Set.of("pom.xml", "src", "target");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private RenderedChart() {
    }

    /** The value sets the chart is tested with: the defaults with the required values (null) and every file in ci/. */
    static List<Path> valueSets() {
        List<Path> sets = new ArrayList<>();
        sets.add(null);
        try (Stream<Path> files = Files.list(CHART.resolve("ci"))) {
            files.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(sets::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sets;
    }

    /**
     * {@code helm lint --strict} with a value set. helm-java's lint takes no values file, so the chart is copied and
     * the set merged into the copy's values.yaml.
     */
    static LintResult lint(Path values) {
        try {
            Path copy = Files.createTempDirectory("sohbet-chart-");
            try (Stream<Path> all = Files.walk(CHART)) {
                for (Path source : (Iterable<Path>) all::iterator) {
                    Path relative = CHART.relativize(source);
                    if (relative.toString().isEmpty() || NOT_CHART.contains(relative.getName(0).toString())) {
                        continue;
                    }
                    Path target = copy.resolve(relative.toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(source, target);
                    }
                }
            }
            ObjectNode merged = (ObjectNode) YAML.readTree(CHART.resolve("values.yaml").toFile());
            merge(merged, (ObjectNode) YAML.readTree((values == null ? REQUIRED : values).toFile()));
            YAML.writeValue(copy.resolve("values.yaml").toFile(), merged);
            try {
                return new Helm(copy).lint().strict().call();
            } finally {
                try (Stream<Path> all = Files.walk(copy)) {
                    all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void merge(ObjectNode into, ObjectNode from) {
        from.fields().forEachRemaining(e -> {
            if (e.getValue() instanceof ObjectNode child && into.get(e.getKey()) instanceof ObjectNode existing) {
                merge(existing, child);
            } else {
                into.set(e.getKey(), e.getValue());
            }
        });
    }

    /** {@code helm template} with a value set (or the defaults with the required values) and --set overrides. */
    static String template(Path values, Map<String, Object> set) {
        return templateOf(values == null ? REQUIRED : values, set);
    }

    /** {@code helm template} of values.yaml alone (nothing required set) with --set overrides. */
    static String templateOfDefaultsAlone(Map<String, Object> set) {
        return templateOf(null, set);
    }

    private static String templateOf(Path values, Map<String, Object> set) {
        TemplateCommand command = new Helm(CHART).template().withName(RELEASE).withNamespace("sohbet")
                .withKubeVersion("v1.31.0");
        if (values != null) {
            command = command.withValuesFile(values);
        }
        for (Map.Entry<String, Object> e : set.entrySet()) {
            command = command.set(e.getKey(), e.getValue());
        }
        return command.call();
    }

    static List<HasMetadata> render(Path values, Map<String, Object> set) {
        return parse(template(values, set));
    }

    static List<HasMetadata> render(Path values) {
        return render(values, Map.of());
    }

    /** Every document of a multi-document YAML stream, as typed objects (custom resources stay generic). */
    static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : yaml.split("(?m)^---\\s*$")) {
            boolean empty = document.lines().allMatch(line -> line.isBlank() || line.strip().startsWith("#"));
            if (!empty) {
                objects.add(Serialization.unmarshal(document));
            }
        }
        return objects;
    }

    static <T extends HasMetadata> List<T> ofKind(List<HasMetadata> objects, Class<T> kind) {
        return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    static List<GenericKubernetesResource> custom(List<HasMetadata> objects, String kind) {
        return objects.stream().filter(o -> o instanceof GenericKubernetesResource && kind.equals(o.getKind()))
                .map(GenericKubernetesResource.class::cast).toList();
    }

    static String appVersion() {
        try {
            return YAML.readTree(CHART.resolve("Chart.yaml").toFile()).get("appVersion").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
