package io.sluice.query;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.sluice.testing.ApiClient;
import io.sluice.testing.SluiceExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.sluice.testing.Queries.LONG_RUNNING;
import static io.sluice.testing.Queries.awaitEnd;
import static io.sluice.testing.Queries.awaitState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Log lines written on request threads (submit, cancel, refresh) carry the query id. */
class RequestLogQueryIdTest {

    @RegisterExtension
    static final SluiceExtension sluice = new SluiceExtension();

    private final Logger serviceLog = (Logger) LoggerFactory.getLogger(QueryService.class);
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private Level levelBefore;

    @BeforeEach
    void capture() {
        levelBefore = serviceLog.getLevel();
        serviceLog.setLevel(Level.INFO);
        captured.start();
        serviceLog.addAppender(captured);
    }

    @AfterEach
    void release() {
        serviceLog.detachAppender(captured);
        serviceLog.setLevel(levelBefore);
    }

    @Test
    void submitCancelAndRefreshLogLinesCarryTheQueryId() {
        ApiClient api = sluice.api();
        String id = api.submit(LONG_RUNNING);
        awaitState(api, id, "RUNNING");
        api.post("/api/query/" + id + "/cancel");
        api.post("/api/query/" + id + "/refresh");
        api.post("/api/query/" + id + "/cancel");
        awaitEnd(api, id);

        assertThat(linesAbout(id)).extracting(e -> e.getMDCPropertyMap().get("queryId"))
                .hasSize(4).containsOnly(id);
        assertThat(linesAbout(id)).extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(m -> m.contains("submitted")).anyMatch(m -> m.contains("refreshed"))
                .filteredOn(m -> m.contains("cancelled")).hasSize(2);
    }

    @Test
    void aCancelByRequestIdLogsTheQueryId() {
        ApiClient api = sluice.api();
        CompletableFuture<ApiClient.Response> waiting = CompletableFuture.supplyAsync(() ->
                api.post("/api/duckdb/query", Map.of("sql", LONG_RUNNING, "request_id", "log:1")));
        await().atMost(Duration.ofSeconds(10)).until(() -> linesContaining("submitted").size() == 1);
        String id = linesContaining("submitted").get(0).getMDCPropertyMap().get("queryId");
        assertThat(id).isNotNull();

        api.post("/api/query/cancel/log:1");
        assertThat(waiting.join().status()).isEqualTo(499);
        assertThat(linesContaining("cancelled")).singleElement()
                .satisfies(e -> assertThat(e.getMDCPropertyMap()).containsEntry("queryId", id));
    }

    private List<ILoggingEvent> linesAbout(String id) {
        return linesContaining(id);
    }

    private List<ILoggingEvent> linesContaining(String text) {
        synchronized (captured) { // the appender appends under this lock
            return captured.list.stream().filter(e -> e.getFormattedMessage().contains(text)).toList();
        }
    }
}
