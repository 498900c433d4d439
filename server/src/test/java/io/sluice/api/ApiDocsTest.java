package io.sluice.api;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/API.md stays true: every messageCode the server can answer is listed with its status. */
class ApiDocsTest {

    @Test
    void everyMessageCodeIsDocumentedWithItsStatus() throws IOException {
        String doc = Files.readString(Path.of("../docs/API.md"));
        for (MessageCode code : MessageCode.values()) {
            assertThat(doc).as(code.name()).contains("| `" + code.name() + "` | " + code.status() + " |");
        }
    }
}
