package io.runnel.kernel.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class LabelCapTest {

    @Test
    void theFirstValuesKeepTheirLabelAndLaterOnesAreOther() {
        LabelCap cap = new LabelCap(2);
        assertThat(cap.label("a")).isEqualTo("a");
        assertThat(cap.label("b")).isEqualTo("b");
        assertThat(cap.label("c")).isEqualTo(LabelCap.OTHER);
        assertThat(cap.label("a")).isEqualTo("a");
        assertThat(cap.label("b")).isEqualTo("b");
        assertThat(cap.label("d")).isEqualTo(LabelCap.OTHER);
    }

    @Test
    void aMissingValueIsNoneAndTakesNoPlace() {
        LabelCap cap = new LabelCap(1);
        assertThat(cap.label(Optional.empty())).isEqualTo(LabelCap.NONE);
        assertThat(cap.label("")).isEqualTo(LabelCap.NONE);
        assertThat(cap.label(Optional.of("a"))).isEqualTo("a");
        assertThat(cap.label(Optional.of("b"))).isEqualTo(LabelCap.OTHER);
    }

    @Test
    void aCapOfZeroFoldsEverything() {
        LabelCap cap = new LabelCap(0);
        assertThat(cap.label("a")).isEqualTo(LabelCap.OTHER);
    }
}
