package io.sluice.result;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This instance's local copies of the Parquet parts of results stored in S3, which the result
 * store's DuckDB reads (it reads local files only). A part is downloaded whole the first time a
 * read needs it (a page needs one part; a sort, filter, aggregate or download needs them all) and
 * then read locally; the instance that wrote a result keeps the files it uploaded, so it never
 * downloads its own results.
 *
 * <p>Layout: {@code <root>/<queryId>/<run>/<generation>/rows-<generation>-00000.parquet, …}. A
 * file appears by an atomic rename of a finished download, so a reader never sees half a file; a
 * replaced result has a new generation, hence new paths, so a copy is never stale.
 *
 * <p>Bounded: when the copies pass {@code maxBytes}, the results used longest ago are deleted
 * (never the one just read). A read that was using an evicted copy fails like a read of a deleted
 * result, and the next read downloads it again. The root lives in this instance's staging area: it
 * is swept at the next start, so copies never outlive the process that made them.
 */
final class S3PartCache {

    private final S3Client s3;
    private final String bucket;
    private final Path root;
    private final long maxBytes;
    /** Bytes held per generation folder, least recently used first. */
    private final LinkedHashMap<Path, Long> held = new LinkedHashMap<>(64, 0.75f, true);
    private long total;
    private final Map<Path, Object> downloading = new ConcurrentHashMap<>();

    S3PartCache(S3Client s3, String bucket, Path root, long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be >= 1");
        }
        this.s3 = s3;
        this.bucket = bucket;
        this.root = root;
        this.maxBytes = maxBytes;
    }

    /** The local folder of one stored generation of a run. */
    Path dir(String queryId, int run, UUID generation) {
        return root.resolve(queryId).resolve(Integer.toString(run)).resolve(generation.toString());
    }

    /**
     * The way a reader of the result in {@code dir} brings a file there: from the object of the
     * same name under {@code keyPrefix}.
     */
    ParquetLayout.LocalFiles files(Path dir, String keyPrefix) {
        return file -> ensure(dir, file, keyPrefix + file.getFileName());
    }

    private void ensure(Path dir, Path file, String key) throws IOException {
        if (Files.exists(file)) {
            touch(dir, 0);
            return;
        }
        synchronized (downloading.computeIfAbsent(file, f -> new Object())) {
            try {
                if (Files.exists(file)) {
                    touch(dir, 0);
                    return;
                }
                Files.createDirectories(dir);
                Path partial = dir.resolve(file.getFileName() + "." + UUID.randomUUID() + ".download");
                try {
                    s3.getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toFile(partial));
                    Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
                } catch (NoSuchKeyException e) {
                    throw new NoSuchFileException("s3://" + bucket + "/" + key, null, "deleted or replaced");
                } catch (SdkException e) {
                    if (e instanceof S3Exception s && s.statusCode() == 404) {
                        throw new NoSuchFileException("s3://" + bucket + "/" + key, null, "deleted or replaced");
                    }
                    throw new IOException("reading s3://" + bucket + "/" + key + " failed: " + e.getMessage(), e);
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                } finally {
                    Files.deleteIfExists(partial);
                }
                touch(dir, Files.size(file));
            } finally {
                downloading.remove(file);
            }
        }
    }

    /**
     * Keeps the files of a result this instance has just uploaded: {@code names} are moved from
     * {@code written} into the result's folder, so reading them needs no download. Best effort: a
     * file that cannot be moved is downloaded when first read.
     */
    void adopt(Path written, List<String> names, Path dir) {
        try {
            Files.createDirectories(dir);
            long bytes = 0;
            for (String name : names) {
                Path target = dir.resolve(name);
                Files.move(written.resolve(name), target, StandardCopyOption.ATOMIC_MOVE);
                bytes += Files.size(target);
            }
            touch(dir, bytes);
        } catch (IOException e) {
            // read back from S3 when needed
        }
    }

    /** Deletes this instance's copies of every generation of a run (the run's result was deleted). */
    void drop(String queryId, int run) {
        drop(root.resolve(queryId).resolve(Integer.toString(run)));
    }

    /** Deletes this instance's copy of one generation of a run (it was replaced). */
    void drop(String queryId, int run, UUID generation) {
        drop(dir(queryId, run, generation));
    }

    private void drop(Path runDir) {
        synchronized (held) {
            Iterator<Map.Entry<Path, Long>> entries = held.entrySet().iterator();
            while (entries.hasNext()) {
                Map.Entry<Path, Long> e = entries.next();
                if (e.getKey().startsWith(runDir)) {
                    total -= e.getValue();
                    entries.remove();
                }
            }
        }
        deleteQuietly(runDir);
    }

    /** Bytes of the local copies. */
    long bytes() {
        synchronized (held) {
            return total;
        }
    }

    /** Records {@code added} bytes in {@code dir} as used now, then evicts what passes the bound. */
    private void touch(Path dir, long added) {
        List<Path> evicted = new ArrayList<>();
        synchronized (held) {
            held.merge(dir, added, Long::sum);
            total += added;
            Iterator<Map.Entry<Path, Long>> entries = held.entrySet().iterator();
            while (total > maxBytes && entries.hasNext()) {
                Map.Entry<Path, Long> e = entries.next();
                if (e.getKey().equals(dir)) {
                    break; // the most recently used: never evicted for its own sake
                }
                total -= e.getValue();
                evicted.add(e.getKey());
                entries.remove();
            }
        }
        evicted.forEach(S3PartCache::deleteQuietly);
    }

    private static void deleteQuietly(Path dir) {
        try {
            if (Files.exists(dir)) {
                StagingArea.deleteTree(dir);
            }
        } catch (IOException e) {
            // swept with the staging area at the next start
        }
    }
}
