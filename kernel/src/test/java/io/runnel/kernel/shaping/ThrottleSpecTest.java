package io.runnel.kernel.shaping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ThrottleSpecTest {

    @Test
    void parsesKumoMtaSyntax() {
        assertThat(ThrottleSpec.parse("100/s")).isEqualTo(new ThrottleSpec(100, Duration.ofSeconds(1), 100, false));
        assertThat(ThrottleSpec.parse("5,000/h")).isEqualTo(new ThrottleSpec(5000, Duration.ofHours(1), 5000, false));
        assertThat(ThrottleSpec.parse("20/30min")).isEqualTo(new ThrottleSpec(20, Duration.ofMinutes(30), 20, false));
        assertThat(ThrottleSpec.parse("10/minute")).isEqualTo(new ThrottleSpec(10, Duration.ofMinutes(1), 10, false));
        assertThat(ThrottleSpec.parse("1000/day")).isEqualTo(new ThrottleSpec(1000, Duration.ofDays(1), 1000, false));
        assertThat(ThrottleSpec.parse("20/30min,max_burst=5")).isEqualTo(new ThrottleSpec(20, Duration.ofMinutes(30), 5, false));
        assertThat(ThrottleSpec.parse("local:100/s")).isEqualTo(new ThrottleSpec(100, Duration.ofSeconds(1), 100, true));
        assertThat(ThrottleSpec.parse(" local:1,000/h, max_burst=1 ")).isEqualTo(new ThrottleSpec(1000, Duration.ofHours(1), 1, true));
    }

    @Test
    void printsInItsOwnSyntax() {
        for (String spec : new String[] {"100/s", "5,000/h", "local:20/30min,max_burst=5", "1000/day"}) {
            ThrottleSpec parsed = ThrottleSpec.parse(spec);
            assertThat(ThrottleSpec.parse(parsed.toString())).isEqualTo(parsed);
        }
        assertThat(ThrottleSpec.parse("local:20/30min,max_burst=5")).hasToString("local:20/1800s,max_burst=5");
    }

    @Test
    void intervalIsPeriodOverLimit() {
        assertThat(ThrottleSpec.parse("20/s").interval()).isEqualTo(Duration.ofMillis(50));
        assertThat(ThrottleSpec.parse("20/30min").interval()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void badSpecsSayWhatIsWrong() {
        assertThatThrownBy(() -> ThrottleSpec.parse("fast")).hasMessageContaining("\"fast\" is not a throttle");
        assertThatThrownBy(() -> ThrottleSpec.parse("100")).hasMessageContaining("is not a throttle");
        assertThatThrownBy(() -> ThrottleSpec.parse("100/fortnight")).hasMessageContaining("unknown period unit \"fortnight\"");
        assertThatThrownBy(() -> ThrottleSpec.parse("0/s")).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> ThrottleSpec.parse("10/0s")).hasMessageContaining("period must be positive");
        assertThatThrownBy(() -> ThrottleSpec.parse("10/s,max_burst=0")).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> ThrottleSpec.parse("99999999999999999999/s")).hasMessageContaining("out of range");
        // found by ThrottleSpecFuzzTest: the period overflowed Duration (ArithmeticException)
        assertThatThrownBy(() -> ThrottleSpec.parse("0/99999999999999999h")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("period out of range");
    }
}
