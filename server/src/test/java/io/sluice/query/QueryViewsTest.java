package io.sluice.query;

import io.sluice.api.Messages;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The error of a query in the status and history views: Sluice's own texts localised, engines' verbatim. */
class QueryViewsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Locale EN = Locale.ENGLISH;
    private static final Locale ZH = Messages.ZH_CN;

    private final QueryViews views = new QueryViews(Clock.fixed(T0, ZoneOffset.UTC), new Messages(ZH));

    private static QueryRecord ended(QueryState state, QueryError error) {
        return QueryRecord.queued("q1", "ann@example.com", "duckdb", "SELECT 1", "sluice", "main", null, T0)
                .withEnd(state, T0.plusSeconds(2), Statistics.EMPTY, error);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> error(QueryError error, Locale locale) {
        return (Map<String, Object>) views.status(ended(QueryState.FAILED, error), locale).get("error");
    }

    @Test
    void aTimeOutIsRenderedInTheCallersLanguageWithItsLimit() {
        QueryError timedOut = QueryError.sluice("QUERY_TIMED_OUT", "the query ran longer than 3600 s",
                Map.of("maxRuntimeSeconds", 3600L));

        Map<String, Object> zh = error(timedOut, ZH);
        assertThat(zh.get("code")).isEqualTo("QUERY_TIMED_OUT");
        assertThat(zh.get("source")).isEqualTo("sluice");
        assertThat((String) zh.get("message")).isEqualTo("查询运行时间超过上限（3,600 秒），已被停止")
                .doesNotContain("longer");
        // The mark stays inside the server; the parameter stays for clients that render it themselves.
        assertThat(zh.get("details")).isEqualTo(Map.of("maxRuntimeSeconds", 3600L));

        assertThat(error(timedOut, EN).get("message"))
                .isEqualTo("The query ran longer than its limit of 3,600 s and was stopped");
    }

    @Test
    void theScanGuardrailNamesScannedBytesAndTheLimit() {
        QueryError scan = QueryError.sluice("SCAN_LIMIT_EXCEEDED", "the query scanned 20000000 bytes, more than 10000000",
                Map.of("scannedBytes", 20_000_000L, "maxScannedBytes", 10_000_000L, "engine", "athena"));
        assertThat(error(scan, EN).get("message")).isEqualTo(
                "The query scanned 20,000,000 bytes, more than the limit of 10,000,000 bytes, and was stopped");
        assertThat(error(scan, ZH).get("message")).isEqualTo("查询扫描了 20,000,000 字节，超过上限（10,000,000 字节），已被停止");
    }

    @Test
    void sluiceErrorsWithoutParametersUseTheirCodesText() {
        QueryError restarted = QueryError.sluice("SERVER_RESTARTED", "the server restarted while the query was running",
                Map.of());
        assertThat(error(restarted, ZH).get("message")).isEqualTo(new Messages(ZH).text(ZH, "SERVER_RESTARTED"));
        assertThat(error(restarted, EN).get("message"))
                .isEqualTo("The server restarted while the query was running; run it again");
        assertThat(error(QueryError.sluice("INTERNAL_ERROR", "internal error", Map.of()), EN).get("message"))
                .isEqualTo("Internal error; the server log has the details");
        // A parametrised text whose parameter is missing falls back to the code's text, never to English.
        QueryError bare = QueryError.sluice("QUERY_TIMED_OUT", "the query ran longer than 5 s", Map.of());
        assertThat(error(bare, ZH).get("message")).isEqualTo("查询运行超时，已被停止");
    }

    @Test
    void anEnginesMessageIsPassedOnVerbatimInEveryLanguage() {
        QueryError syntax = new QueryError("SYNTAX_ERROR", "Parser Error: syntax error at or near \"SELEC\"",
                Map.of("engine", "duckdb"));
        for (Locale locale : Messages.SUPPORTED) {
            Map<String, Object> view = error(syntax, locale);
            assertThat(view.get("message")).isEqualTo("Parser Error: syntax error at or near \"SELEC\"");
            assertThat(view.get("source")).isEqualTo("engine");
            assertThat(view.get("details")).isEqualTo(Map.of("engine", "duckdb"));
        }
    }

    @Test
    void historyItemsCarryTheSameErrorView() {
        QueryRecord record = ended(QueryState.TIMED_OUT, QueryError.sluice("QUERY_TIMED_OUT", "x",
                Map.of("maxRuntimeSeconds", 1)));
        @SuppressWarnings("unchecked")
        Map<String, Object> err = (Map<String, Object>) views.historyItem(record, EN).get("error");
        assertThat(err.get("message")).isEqualTo("The query ran longer than its limit of 1 s and was stopped");
        assertThat(views.status(record).get("error")).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> defaultLanguage = (Map<String, Object>) views.status(record).get("error");
        assertThat(defaultLanguage.get("message")).isEqualTo("查询运行时间超过上限（1 秒），已被停止");
    }
}
