package io.sluice.lint;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever text comes in, the linter answers with known codes and never throws. */
class QueryLinterFuzzTest {

    static final QueryLinter LINTER = new QueryLinter(null, 50);
    static final Set<String> CODES = Set.of(LintFinding.NO_PARTITION_FILTER, LintFinding.SELECT_STAR_WIDE,
            LintFinding.NO_LIMIT, LintFinding.UNPARSEABLE);

    @AfterContainer
    static void close() {
        LINTER.close();
    }

    @Property(tries = 300)
    void randomTextNeverThrows(@ForAll("garbage") String sql) {
        check(sql);
    }

    @Property(tries = 300)
    void sqlShapedTextNeverThrows(@ForAll("tokens") String sql) {
        check(sql);
    }

    private static void check(String sql) {
        List<LintFinding> findings = LINTER.lint(sql, QueryLinterTest.LOOKUP);
        assertThat(findings).allSatisfy(f -> assertThat(CODES).contains(f.code()));
        if (findings.stream().anyMatch(f -> f.code().equals(LintFinding.UNPARSEABLE))) {
            assertThat(findings).hasSize(1);
        }
    }

    @Provide
    Arbitrary<String> garbage() {
        return Arbitraries.strings().all().ofMaxLength(300);
    }

    /** Random sequences of SQL words, names and punctuation: many parse, most do not. */
    @Provide
    Arbitrary<String> tokens() {
        return Arbitraries.of("SELECT", "*", "FROM", "events", "logs", "wide", "users", "e", "l", "WHERE", "dt", "=",
                "'x'", "AND", "OR", "NOT", "(", ")", ",", "JOIN", "ON", "LEFT", "USING", "WITH", "AS", "UNION", "ALL",
                "LIMIT", "10", "IN", "BETWEEN", "CAST", "date", "GROUP", "BY", "count", "e.dt", "l.dt", "\"dt\"",
                "INSERT", "INTO", "CREATE", "TABLE", "VALUES", "EXISTS", "LATERAL", "UNNEST", ";", "--", "/*", "?")
                .list().ofMaxSize(40).map(words -> String.join(" ", words));
    }
}
