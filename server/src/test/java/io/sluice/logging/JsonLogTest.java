package io.sluice.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.Json;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.MDC;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The production logback.xml writes JSON lines with timestamp, level, file, line and message. */
class JsonLogTest {

    @Test
    void logLinesAreJsonWithFileLineLevelAndQueryId() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter());
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(getClass().getResource("/logback.xml"));
            Logger log = context.getLogger("io.sluice.query.QueryRunner");
            MDC.put("queryId", "6f1c0000-0000-4000-8000-000000000000");
            log.info("run {} started", 1);
            MDC.remove("queryId");
            log.warn("no query here");
            context.stop();
        } finally {
            System.setOut(original);
        }
        String[] lines = captured.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertThat(lines).hasSize(2);
        JsonNode first = Json.mapper().readTree(lines[0]);
        assertThat(first.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(first.path("level").asText()).isEqualTo("INFO");
        assertThat(first.path("file").asText()).isEqualTo("JsonLogTest.java");
        assertThat(first.path("line").asInt()).isPositive();
        assertThat(first.path("logger").asText()).isEqualTo("io.sluice.query.QueryRunner");
        assertThat(first.path("message").asText()).isEqualTo("run 1 started");
        assertThat(first.path("queryId").asText()).isEqualTo("6f1c0000-0000-4000-8000-000000000000");
        JsonNode second = Json.mapper().readTree(lines[1]);
        assertThat(second.path("level").asText()).isEqualTo("WARN");
        assertThat(second.has("queryId")).isFalse();
    }
}
