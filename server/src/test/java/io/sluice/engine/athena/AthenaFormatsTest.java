package io.sluice.engine.athena;

import io.sluice.engine.Column;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Athena's result formats (CSV and its .metadata file) as Sluice reads them, and its price. */
class AthenaFormatsTest {

    private static List<List<String>> records(String csv) throws IOException {
        AthenaCsvReader reader = new AthenaCsvReader(new StringReader(csv));
        List<List<String>> out = new ArrayList<>();
        for (List<String> r = reader.next(); r != null; r = reader.next()) {
            out.add(r);
        }
        return out;
    }

    @Test
    void csvKeepsNullDistinctFromEmptyAndKeepsQuotesAndNewlines() throws IOException {
        assertThat(records("\"k1\",\"k2\",\"k3\"\n\"r1_v1\",\"r1_v2\",\"1\"\n\"r3_v1\",\"r3_v2\",\n"))
                .containsExactly(List.of("k1", "k2", "k3"), List.of("r1_v1", "r1_v2", "1"),
                        Arrays.asList("r3_v1", "r3_v2", null));
        assertThat(records("\"a\",\"b\"\n\"\",\n,\"x\"\"y\"\n\"line\nbreak\",\"中文🚀\"\n")).containsExactly(
                List.of("a", "b"), Arrays.asList("", null), Arrays.asList(null, "x\"y"), List.of("line\nbreak", "中文🚀"));
        assertThat(records("")).isEmpty();
        assertThat(records("\"only header\"\n")).containsExactly(List.of("only header"));
    }

    @Test
    void malformedCsvIsAnError() {
        assertThatThrownBy(() -> records("\"open\n")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> records("\"a\"x\n")).isInstanceOf(IOException.class);
    }

    @Test
    void metadataGivesNamesAndTypesWithDecimalPrecision() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        field(out, 1, "query-id".getBytes(StandardCharsets.UTF_8));
        field(out, 4, column("amount", "decimal", 12, 2));
        field(out, 4, column("name", "varchar", 2147483647, 0));
        List<Column> columns = AthenaResultMetadata.columns(out.toByteArray());
        assertThat(columns).containsExactly(new Column("amount", "decimal(12,2)"), new Column("name", "varchar"));
        assertThatThrownBy(() -> AthenaResultMetadata.columns(new byte[]{0x22, 0x05, 0x01})).isInstanceOf(IOException.class);
    }

    @Test
    void priceFollowsAthenasBillingRules() {
        AthenaPricing price = new AthenaPricing(5.0);
        double tenMb = 10.0 / (1024 * 1024) * 5.0;
        assertThat(price.cost(0L, "DML", false, false, false)).isEqualTo(tenMb);          // 10 MB minimum
        assertThat(price.cost(1L, "DML", false, false, false)).isEqualTo(tenMb);
        assertThat(price.cost(1024L * 1024 * 1024 * 1024, "DML", false, false, false)).isEqualTo(5.0);
        assertThat(price.cost(11L * 1024 * 1024 + 1, "DML", false, false, false))
                .isEqualTo(12.0 / (1024 * 1024) * 5.0);                                     // rounded up per MB
        assertThat(price.cost(50L * 1024 * 1024 * 1024, "DDL", false, false, false)).isZero();
        assertThat(price.cost(50L * 1024 * 1024 * 1024, "DML", true, false, false)).isZero();  // failed
        assertThat(price.cost(0L, "DML", false, true, false)).isZero();                       // reused
        assertThat(price.cost(0L, "DML", false, false, true)).isZero();                       // cancelled early
        assertThat(price.cost(20L * 1024 * 1024, "DML", false, false, true)).isEqualTo(20.0 / (1024 * 1024) * 5.0);
        assertThat(AthenaValues.converter("bigint").convert("42")).isEqualTo(42L);
        assertThat(AthenaValues.converter("double").convert("1.0E20")).isEqualTo(1.0E20);
        assertThat(AthenaValues.converter("boolean").convert("true")).isEqualTo(true);
        assertThat(AthenaValues.converter("decimal(10,2)").convert("12.30")).isEqualTo("12.30");
        assertThat(AthenaValues.converter("bigint").convert("oops")).isEqualTo("oops");
    }

    private static byte[] column(String name, String type, int precision, int scale) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        field(out, 1, "hive".getBytes(StandardCharsets.UTF_8));
        field(out, 4, name.getBytes(StandardCharsets.UTF_8));
        field(out, 5, name.getBytes(StandardCharsets.UTF_8));
        field(out, 6, type.getBytes(StandardCharsets.UTF_8));
        varintField(out, 7, precision);
        varintField(out, 8, scale);
        varintField(out, 9, 3);
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, int number, byte[] value) {
        varint(out, (number << 3) | 2);
        varint(out, value.length);
        out.writeBytes(value);
    }

    private static void varintField(ByteArrayOutputStream out, int number, long value) {
        varint(out, number << 3);
        varint(out, value);
    }

    private static void varint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }
}
