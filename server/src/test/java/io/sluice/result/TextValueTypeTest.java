package io.sluice.result;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which values stored as an engine's exact text sort, compare and add up as another type. */
class TextValueTypeTest {

    @Test
    void athenasDecimalsDatesAndTimestampsSortAsThoseTypesAndEverythingElseAsText() {
        assertThat(ParquetResult.textValueType("decimal(12,2)")).isEqualTo("DECIMAL(12,2)");
        assertThat(ParquetResult.textValueType("DECIMAL(38, 18)")).isEqualTo("DECIMAL(38,18)");
        assertThat(ParquetResult.textValueType("date")).isEqualTo("DATE");
        assertThat(ParquetResult.textValueType("timestamp")).isEqualTo("TIMESTAMP");
        // Beyond DuckDB's decimals, a scale above the precision, a zone, or anything else: text.
        assertThat(ParquetResult.textValueType("decimal(39,2)")).isEqualTo("VARCHAR");
        assertThat(ParquetResult.textValueType("decimal(5,6)")).isEqualTo("VARCHAR");
        assertThat(ParquetResult.textValueType("timestamp with time zone")).isEqualTo("VARCHAR");
        assertThat(ParquetResult.textValueType("varchar")).isEqualTo("VARCHAR");
        assertThat(ParquetResult.textValueType("decimal(12,2)) OR 1=1 --")).isEqualTo("VARCHAR");
        assertThat(ParquetResult.textValueType(null)).isEqualTo("VARCHAR");
    }
}
