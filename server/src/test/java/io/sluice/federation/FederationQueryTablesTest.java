package io.sluice.federation;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the import path reads from the SQL with DuckDB's parser: which tables of which alias, which
 * columns, and which conditions may be pushed (only where that can never remove a row the query
 * keeps), and which column types accept them.
 */
class FederationQueryTablesTest {

    static Connection duck;

    @BeforeAll
    static void open() throws Exception {
        duck = DriverManager.getConnection("jdbc:duckdb:");
    }

    @AfterAll
    static void close() throws Exception {
        duck.close();
    }

    private static List<NeededTable> tables(String sql) throws Exception {
        return QueryTables.analyse(duck, sql, List.of("pg", "My"));
    }

    private static NeededTable only(String sql) throws Exception {
        List<NeededTable> t = tables(sql);
        assertThat(t).hasSize(1);
        return t.get(0);
    }

    @Test
    void tablesAreFoundByAliasWithAndWithoutSchema() throws Exception {
        List<NeededTable> t = tables("""
                WITH pg AS (SELECT 1 AS x) SELECT * FROM pg, local_table l, pg.orders o, my.sales.items i,
                (SELECT * FROM PG.Orders) q WHERE o.id IN (SELECT id FROM "pg"."public"."refunds")""");
        assertThat(t).extracting(NeededTable::alias, NeededTable::schema, NeededTable::table).containsExactly(
                org.assertj.core.groups.Tuple.tuple("pg", null, "orders"),
                org.assertj.core.groups.Tuple.tuple("My", "sales", "items"),
                org.assertj.core.groups.Tuple.tuple("pg", "public", "refunds"));
        assertThat(t.get(1).duckSchema()).isEqualTo("sales");
        assertThat(t.get(0).duckSchema()).isEqualTo("main");
    }

    @Test
    void onlyReferencedColumnsUnlessAStarOrAWholeRow() throws Exception {
        NeededTable t = only("SELECT o.id, o.s.field FROM pg.orders o WHERE o.amount > 1 ORDER BY o.placed");
        assertThat(t.allColumns()).isFalse();
        assertThat(t.columns()).contains("id", "s", "amount", "placed").doesNotContain("field");
        assertThat(only("SELECT * FROM pg.orders").allColumns()).isTrue();
        assertThat(only("SELECT count(*) FROM pg.orders").allColumns()).isFalse();
        assertThat(only("SELECT o.* FROM pg.orders o").allColumns()).isTrue();
        assertThat(only("SELECT l.*, o.id FROM local_table l, pg.orders o").allColumns()).isFalse();
        assertThat(only("SELECT COLUMNS('a.*') FROM pg.orders o").allColumns()).isTrue();
        assertThat(only("SELECT o FROM pg.orders o").allColumns()).isTrue();
        assertThat(only("SELECT a FROM pg.orders o(a, b)").allColumns()).isTrue();
        assertThat(only("SELECT x FROM l NATURAL JOIN pg.orders").allColumns()).isTrue();
        assertThat(only("SELECT 1 FROM l JOIN pg.orders USING (k)").columns()).contains("k");
    }

    @Test
    void simpleConditionsOfInnerJoinsArePushed() throws Exception {
        NeededTable t = only("""
                SELECT 1 FROM l JOIN pg.orders o ON o.id = l.id
                WHERE o.amount >= 10.5 AND 3 > o.n AND o.kind IN ('a', 'b') AND o.note IS NULL AND o.x <> -2
                  AND l.y = 1 AND (o.a = 1 OR o.b = 2) AND o.c = 1e3 AND o.d = TRUE AND lower(o.e) = 'x'
                  AND o.f = 12345678901234567890.5""");
        assertThat(t.predicates()).containsExactly(
                new PushedPredicate("amount", PushedPredicate.Op.GE, List.of(new BigDecimal("10.5"))),
                new PushedPredicate("n", PushedPredicate.Op.LT, List.of(new BigDecimal("3"))),
                new PushedPredicate("kind", PushedPredicate.Op.IN, List.of("a", "b")),
                new PushedPredicate("note", PushedPredicate.Op.IS_NULL, List.of()),
                new PushedPredicate("x", PushedPredicate.Op.NE, List.of(new BigDecimal("-2"))));
        assertThat(only("SELECT 1 FROM pg.orders WHERE id = 4").predicates()).hasSize(1);
    }

    @Test
    void conditionsAreNotPushedWhereTheyCouldRemoveRowsTheQueryKeeps() throws Exception {
        assertThat(only("SELECT 1 FROM l LEFT JOIN pg.orders o ON o.id = l.id WHERE o.id IS NULL").predicates()).isEmpty();
        assertThat(only("SELECT 1 FROM pg.orders o LEFT JOIN l ON o.id = l.id WHERE o.id = 1").predicates()).hasSize(1);
        assertThat(only("SELECT 1 FROM pg.orders o RIGHT JOIN l ON o.id = l.id WHERE o.id = 1").predicates()).isEmpty();
        assertThat(only("SELECT 1 FROM pg.orders o FULL JOIN l ON o.id = l.id WHERE o.id = 1").predicates()).isEmpty();
        assertThat(only("SELECT 1 FROM pg.orders o, pg.orders p WHERE o.id = 1").predicates()).isEmpty();
        assertThat(only("SELECT 1 FROM pg.orders o WHERE o.id = 1 UNION ALL SELECT 1 FROM pg.orders").predicates()).isEmpty();
        assertThat(only("SELECT 1 FROM pg.orders o, l WHERE id = 1").predicates()).isEmpty();
        assertThat(only("SELECT 1 FROM pg.orders o, l o WHERE o.id = 1").predicates()).isEmpty();
        assertThat(only("SELECT 1 FROM pg.orders o(a) WHERE o.a = 1").predicates()).isEmpty();
        assertThat(only("SELECT 1 FROM pg.orders o TABLESAMPLE 10% WHERE o.id = 1").predicates()).isEmpty();
        assertThat(only("SELECT 1 FROM pg.orders o WHERE o.id = 1 USING SAMPLE 10").predicates()).isEmpty();
        assertThat(only("SELECT 1 FROM l WHERE l.x IN (SELECT o.id FROM pg.orders o) AND l.id = 1").predicates()).isEmpty();
    }

    @Test
    void columnTypesDecideWhichConditionsReachTheSource() {
        ImportColumn integer = new ImportColumn("n", ImportColumn.Kind.INTEGER, 10, 0, true, false, false);
        ImportColumn text = new ImportColumn("s", ImportColumn.Kind.VARCHAR, 0, 0, false, true, false);
        ImportColumn uuid = new ImportColumn("u", ImportColumn.Kind.VARCHAR, 0, 0, false, false, false);
        ImportColumn real = new ImportColumn("r", ImportColumn.Kind.DOUBLE, 0, 0, false, false, false);
        ImportColumn sqliteInt = new ImportColumn("i", ImportColumn.Kind.BIGINT, 0, 0, true, false, true);
        BigDecimal five = new BigDecimal("5");
        BigDecimal half = new BigDecimal("5.5");
        assertThat(integer.accepts(new PushedPredicate("n", PushedPredicate.Op.LT, List.of(half)))).isTrue();
        assertThat(integer.accepts(new PushedPredicate("n", PushedPredicate.Op.EQ, List.of("5")))).isFalse();
        assertThat(text.accepts(new PushedPredicate("s", PushedPredicate.Op.EQ, List.of("a")))).isTrue();
        assertThat(text.accepts(new PushedPredicate("s", PushedPredicate.Op.IN, List.of("a", "b")))).isTrue();
        assertThat(text.accepts(new PushedPredicate("s", PushedPredicate.Op.NE, List.of("a")))).isFalse();
        assertThat(text.accepts(new PushedPredicate("s", PushedPredicate.Op.LT, List.of("a")))).isFalse();
        assertThat(uuid.accepts(new PushedPredicate("u", PushedPredicate.Op.EQ, List.of("a")))).isFalse();
        assertThat(real.accepts(new PushedPredicate("r", PushedPredicate.Op.GT, List.of(five)))).isFalse();
        assertThat(real.accepts(new PushedPredicate("r", PushedPredicate.Op.IS_NULL, List.of()))).isTrue();
        assertThat(sqliteInt.accepts(new PushedPredicate("i", PushedPredicate.Op.GT, List.of(five)))).isTrue();
        assertThat(sqliteInt.accepts(new PushedPredicate("i", PushedPredicate.Op.GT, List.of(half)))).isFalse();
        assertThat(Set.of(PushedPredicate.Op.values())).hasSize(9);
    }

    @Test
    void sqlTheParserCannotReadIsRefused() {
        assertThatThrownBy(() -> tables("SELEC oops FROM pg.t")).isInstanceOf(QueryTables.Unreadable.class)
                .hasMessageContaining("syntax error");
        assertThatThrownBy(() -> tables("DELETE FROM pg.t")).isInstanceOf(QueryTables.Unreadable.class);
    }
}
