package io.runnel.kernel.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The test parser must refuse what Prometheus would refuse, or the end-to-end test proves nothing. */
class PrometheusTextTest {

    private static final String VALID = """
            # HELP a_total Things.
            # TYPE a_total counter
            a_total{tenant="x\\"y",site="a\\\\b"} 3.0
            a_total{tenant="z"} 1
            # TYPE h_seconds histogram
            h_seconds_bucket{le="0.1"} 1
            h_seconds_bucket{le="+Inf"} 2
            h_seconds_count 2
            h_seconds_sum 0.3
            # TYPE g gauge
            g NaN
            """;

    @Test
    void readsSamplesLabelsAndEscapes() {
        PrometheusText m = PrometheusText.parse(VALID);
        assertThat(m.value("a_total", "tenant", "x\"y")).contains(3.0);
        assertThat(m.samples("a_total").get(0).labels()).containsEntry("site", "a\\b");
        assertThat(m.sum("a_total")).isEqualTo(4.0);
        assertThat(m.type("h_seconds")).contains("histogram");
        assertThat(m.value("g")).hasValueSatisfying(v -> assertThat(v).isNaN());
    }

    @Test
    void refusesWhatPrometheusWouldRefuse() {
        assertThatThrownBy(() -> PrometheusText.parse("a 1\n")).hasMessageContaining("without a TYPE");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE a gauge\na 1\na 2\n")).hasMessageContaining("duplicate");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE a gauge\na{x=\"\\q\"} 1\n")).hasMessageContaining("escape");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE a gauge\na{x=y} 1\n")).hasMessageContaining("quoted");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE a gauge\na one\n")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE a gauge\n# TYPE b gauge\nb 1\na 1\n"))
                .hasMessageContaining("two places");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE a gauge\na 1")).hasMessageContaining("line feed");
        assertThatThrownBy(() -> PrometheusText.parse("""
                # TYPE h histogram
                h_bucket{le="1"} 2
                h_bucket{le="+Inf"} 1
                h_count 1
                """)).hasMessageContaining("cumulative");
        assertThatThrownBy(() -> PrometheusText.parse("""
                # TYPE h histogram
                h_bucket{le="+Inf"} 2
                h_count 3
                """)).hasMessageContaining("_count");
    }
}
