package io.runnel.kernel.shaping;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Any throttle spec an operator (or a tenant's rules) writes: a {@link ThrottleSpec} that prints as a spec parsing
 * back to itself, or an {@link IllegalArgumentException} whose message the config error shows. Seeds:
 * {@code ThrottleSpecFuzzTestInputs/spec/}.
 */
class ThrottleSpecFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void spec(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        ThrottleSpec spec;
        try {
            spec = ThrottleSpec.parse(text);
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).isNotEmpty();
            return;
        }
        assertThat(ThrottleSpec.parse(spec.toString())).isEqualTo(spec);
        assertThat(spec.interval().isNegative()).isFalse();
    }
}
