package io.sluice.result;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which values stored as an engine's exact text sort, compare and add up as another type. */
class TextValueTypeTest {

    @Test
    void athenasDecimalsDatesAndTimestampsSortAsThoseTypesAndEverythingElseAsText() {
        assertThat(StoredColumns.textValueType("decimal(12,2)")).isEqualTo("DECIMAL(12,2)");
        assertThat(StoredColumns.textValueType("DECIMAL(38, 18)")).isEqualTo("DECIMAL(38,18)");
        assertThat(StoredColumns.textValueType("date")).isEqualTo("DATE");
        assertThat(StoredColumns.textValueType("timestamp")).isEqualTo("TIMESTAMP");
        // Beyond DuckDB's decimals, a scale above the precision, a zone, or anything else: text.
        assertThat(StoredColumns.textValueType("decimal(39,2)")).isEqualTo("VARCHAR");
        assertThat(StoredColumns.textValueType("decimal(5,6)")).isEqualTo("VARCHAR");
        assertThat(StoredColumns.textValueType("timestamp with time zone")).isEqualTo("VARCHAR");
        assertThat(StoredColumns.textValueType("varchar")).isEqualTo("VARCHAR");
        assertThat(StoredColumns.textValueType("decimal(12,2)) OR 1=1 --")).isEqualTo("VARCHAR");
        assertThat(StoredColumns.textValueType(null)).isEqualTo("VARCHAR");
    }
}
