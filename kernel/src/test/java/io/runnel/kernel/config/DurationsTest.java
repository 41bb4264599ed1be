package io.runnel.kernel.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void readsTheShortForms() {
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("5min")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void readsKumoMtaShapingFileForms() {
        assertThat(Durations.parse("2 hours")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("1 hour")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("90m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("30 days")).isEqualTo(Duration.ofDays(30));
        assertThat(Durations.parse("10 Minutes")).isEqualTo(Duration.ofMinutes(10));
        assertThat(Durations.parse(" 45 seconds ")).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void addsUpSeveralParts() {
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("1 hour 30 minutes")).isEqualTo(Duration.ofMinutes(90));
    }

    @Test
    void refusesWhatIsNotADuration() {
        assertThatThrownBy(() -> Durations.parse("")).hasMessageContaining("expected a duration");
        assertThatThrownBy(() -> Durations.parse("two hours")).hasMessageContaining("expected a duration");
        assertThatThrownBy(() -> Durations.parse("2")).hasMessageContaining("expected a duration");
        assertThatThrownBy(() -> Durations.parse("2 hours and more")).hasMessageContaining("expected a duration");
        assertThatThrownBy(() -> Durations.parse("3 fortnights")).hasMessageContaining("unknown unit \"fortnights\"");
    }
}
