package io.sluice.standin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.QueryExecution;

/** With a blob directory, results live on disk, where large ones belong, and read back the same. */
class FileBlobStoreTest {
    @TempDir
    Path blobs;

    @Test
    void resultsAreFilesUnderTheBlobDirectoryAndPageFromThere() throws Exception {
        try (StandInClients c = StandInClients.start(AthenaStandIn.builder().blobStoreDir(blobs))) {
            QueryExecution q = c.run("SELECT range AS n, repeat('x', 40) AS pad FROM range(200000) ORDER BY n");
            String id = q.queryExecutionId();

            try (Stream<Path> files = Files.walk(blobs)) {
                assertThat(files.map(Path::getFileName).map(Path::toString)).contains(id + ".csv", id + ".csv.metadata");
            }
            String csv = c.object(q.resultConfiguration().outputLocation());
            assertThat(csv.split("\n")).hasSize(200_001);
            assertThat(csv).endsWith("\"199999\",\"" + "x".repeat(40) + "\"\n");

            String token = null;
            long rows = 0;
            String last = null;
            do {
                String next = token;
                GetQueryResultsResponse page = c.athena.getQueryResults(b -> b.queryExecutionId(id).nextToken(next));
                rows += page.resultSet().rows().size();
                if (!page.resultSet().rows().isEmpty()) {
                    last = page.resultSet().rows().get(page.resultSet().rows().size() - 1).data().get(0).varCharValue();
                }
                token = page.nextToken();
            } while (token != null);
            assertThat(rows).isEqualTo(200_001);
            assertThat(last).isEqualTo("199999");
        }
    }
}
