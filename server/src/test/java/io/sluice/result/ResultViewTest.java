package io.sluice.result;

import io.sluice.engine.Column;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sort, filter and aggregate grammar: what it accepts, what it refuses and why. */
class ResultViewTest {

    static final List<Column> COLUMNS = List.of(new Column("n", "bigint"), new Column("a:b,c", "varchar"),
            new Column("n", "double"), new Column("day", "date"));

    @Test
    void sortKeysTakeTheirDirectionFromTheLastColonAndColumnsByNameOrIndex() {
        ResultView view = ResultView.parse("n:desc,#1,day:ASC,#2:desc", List.of(), COLUMNS);
        assertThat(view.sort()).containsExactly(new ResultView.SortKey(0, true), new ResultView.SortKey(1, false),
                new ResultView.SortKey(3, false), new ResultView.SortKey(2, true));
        assertThat(view.plain()).isFalse();
        assertThat(ResultView.parse(null, null, COLUMNS).plain()).isTrue();
        assertThat(ResultView.parse("", List.of(), COLUMNS)).isEqualTo(ResultView.PLAIN);
    }

    @Test
    void aFilterValueIsEverythingAfterTheSecondColon() {
        ResultView view = ResultView.parse(null, List.of("eq:#1:x:y,z", "contains:day:", "NOTNULL:n",
                "eq:n:'; DROP TABLE t; --"), COLUMNS);
        assertThat(view.filters()).containsExactly(new ResultView.Filter(ResultView.Op.EQ, 1, "x:y,z"),
                new ResultView.Filter(ResultView.Op.CONTAINS, 3, ""), new ResultView.Filter(ResultView.Op.NOTNULL, 0, null),
                new ResultView.Filter(ResultView.Op.EQ, 0, "'; DROP TABLE t; --"));
    }

    @Test
    void refusalsNameTheParameterAndTheReason() {
        assertRefused(() -> ResultView.parse("nope", List.of(), COLUMNS), "sort", "no column \"nope\"");
        assertRefused(() -> ResultView.parse("n:up", List.of(), COLUMNS), "sort", "no column \"n:up\"");
        assertRefused(() -> ResultView.parse("#4", List.of(), COLUMNS), "sort", "no column \"#4\"");
        assertRefused(() -> ResultView.parse("#99999999999", List.of(), COLUMNS), "sort", "no column");
        assertRefused(() -> ResultView.parse(null, List.of("n"), COLUMNS), "filter", "expected op:column[:value]");
        assertRefused(() -> ResultView.parse(null, List.of("like:n:1"), COLUMNS), "filter", "unknown operator \"like\"");
        assertRefused(() -> ResultView.parse(null, List.of("gt:n"), COLUMNS), "filter", "gt needs a value");
        assertRefused(() -> ResultView.parse(null, List.of("null:n:1"), COLUMNS), "filter", "null takes no value");
        assertRefused(() -> ResultView.parse(String.join(",", java.util.Collections.nCopies(17, "n")), List.of(), COLUMNS),
                "sort", "at most 16");
        assertRefused(() -> ResultView.parse(null, List.of("x".repeat(100) + ":n:1"), COLUMNS), "filter", "…");
    }

    @Test
    void aggregationsParseGroupsAndMeasures() {
        Aggregation a = Aggregation.parse("day,#0", "count,sum:#2,max:#1", List.of("gt:n:1"), 5, COLUMNS);
        assertThat(a.groupBy()).containsExactly(3, 0);
        assertThat(a.measures()).containsExactly(new Aggregation.Measure(Aggregation.Fn.COUNT, null),
                new Aggregation.Measure(Aggregation.Fn.SUM, 2), new Aggregation.Measure(Aggregation.Fn.MAX, 1));
        assertThat(a.maxGroups()).isEqualTo(5);
        assertThat(Aggregation.parse(null, null, null, null, COLUMNS).measures())
                .containsExactly(new Aggregation.Measure(Aggregation.Fn.COUNT, null));
        assertRefused(() -> Aggregation.parse(null, "sum", List.of(), null, COLUMNS), "measures", "sum needs a column");
        assertRefused(() -> Aggregation.parse(null, "median:n", List.of(), null, COLUMNS), "measures", "unknown function");
        assertRefused(() -> Aggregation.parse(null, null, List.of(), 0, COLUMNS), "limit", "1..10000");
        assertRefused(() -> Aggregation.parse("zzz", null, List.of(), null, COLUMNS), "groupBy", "no column");
    }

    @Test
    void theFingerprintTellsViewsApart() {
        String a = ResultView.parse("n", List.of("gt:n:1"), COLUMNS).fingerprint();
        assertThat(a).matches("[0-9a-f]{8}").isEqualTo(ResultView.parse("n:asc", List.of("gt:n:1"), COLUMNS).fingerprint());
        assertThat(a).isNotEqualTo(ResultView.parse("n:desc", List.of("gt:n:1"), COLUMNS).fingerprint())
                .isNotEqualTo(ResultView.parse("n", List.of("gt:n:2"), COLUMNS).fingerprint());
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String parameter,
                                      String reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ResultView.InvalidView.class, e -> {
            assertThat(e.parameter()).isEqualTo(parameter);
            assertThat(e.getMessage()).contains(reason);
        });
    }
}
