package io.sluice.result;

import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/** The result store contract on the folder store, its data reads counted through its file channels. */
class FolderResultStoreContractTest extends ResultStoreContract {

    @TempDir
    Path root;
    private final AtomicLong opens = new AtomicLong();
    private final PageReadCostTest.Reads reads = new PageReadCostTest.Reads();

    @Override
    ResultStore store(String instanceId, int indexStride, PageBudget budget) throws IOException {
        return new FolderResultStore(root, instanceId, indexStride, false, budget, file -> {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            if (!file.getFileName().toString().equals(ResultFiles.DATA_FILE)) {
                return channel;
            }
            opens.incrementAndGet();
            return new PageReadCostTest.CountingChannel(channel, reads);
        });
    }

    @Override
    List<String> stored() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).filter(p -> !p.startsWith(stagingDir()))
                    .map(p -> root.relativize(p).toString()).toList();
        }
    }

    @Override
    Path stagingDir() {
        return root.toAbsolutePath().normalize().resolve(FolderResultStore.TEMP_DIR);
    }

    @Override
    DataReads dataReads() {
        return new DataReads() {
            @Override
            public void reset() {
                opens.set(0);
                reads.bytes.set(0);
            }

            @Override
            public long requests() {
                return opens.get();
            }

            @Override
            public long bytes() {
                return reads.bytes.get();
            }
        };
    }

    @Override
    long readAhead() {
        return ResultFileReader.PAGE_BUFFER_BYTES;
    }
}
