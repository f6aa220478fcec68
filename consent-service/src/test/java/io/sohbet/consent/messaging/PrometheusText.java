package io.sohbet.consent.messaging;

import java.util.Map;

/** Reads one sample out of the Prometheus text that {@code /q/metrics} answers. */
final class PrometheusText {

    private PrometheusText() {
    }

    /** The sum of the samples of {@code name} that carry every label of {@code labels}; 0 when there is none. */
    static double value(String text, String name, Map<String, String> labels) {
        double sum = 0;
        for (String line : text.split("\n")) {
            if (!line.startsWith(name + "{")) {
                continue;
            }
            String labelPart = line.substring(name.length(), line.lastIndexOf('}') + 1);
            if (labels.entrySet().stream().allMatch(l -> labelPart.contains(l.getKey() + "=\"" + l.getValue() + "\""))) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
