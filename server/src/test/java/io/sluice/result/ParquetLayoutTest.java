package io.sluice.result;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The names of a result's Parquet parts: stored results of every version are found by them. */
class ParquetLayoutTest {

    @Test
    void partNamesAreTheGenerationAndTheNumberPaddedToFiveDigits() {
        UUID generation = UUID.fromString("0b3c5d7e-1111-4222-8333-944455556666");
        for (int k : new int[] {0, 7, 42, 12_345, 99_999, 100_000, 1_234_567}) {
            assertThat(ParquetLayout.partFile(generation, k))
                    .isEqualTo(String.format("rows-%s-%05d.parquet", generation, k));
        }
        assertThat(ParquetLayout.partFile(generation, 3)).isEqualTo("rows-" + generation + "-00003.parquet");
    }
}
