package io.sluice.result;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Uploads one local file to one S3 object, streamed from the file: one PUT up to the part size,
 * a multipart upload of part-size pieces above it (aborted if any part fails, so no half object
 * and no billed parts stay behind). The SDK reopens a piece from the file when it retries.
 */
final class S3Upload {

    /** S3's smallest part but the last. */
    static final long MIN_PART_BYTES = 5L * 1024 * 1024;
    /** S3's most parts in one upload. */
    private static final int MAX_PARTS = 10_000;

    private S3Upload() {
    }

    static void upload(S3Client s3, String bucket, String key, Path file, long partBytes) throws IOException {
        long size = Files.size(file);
        if (size <= partBytes) {
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file));
            return;
        }
        // Parts grow past the configured size only for objects S3 could not take otherwise (> 10,000 parts).
        long part = Math.max(partBytes, (size + MAX_PARTS - 1) / MAX_PARTS);
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            for (long offset = 0; offset < size; offset += part) {
                int number = parts.size() + 1;
                long length = Math.min(part, size - offset);
                long start = offset;
                String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                                .contentLength(length),
                        RequestBody.fromContentProvider(() -> slice(file, start, length), length,
                                "application/octet-stream")).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
        } catch (RuntimeException e) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            } catch (RuntimeException abortFailed) {
                e.addSuppressed(abortFailed);
            }
            throw e;
        }
    }

    /**
     * Copies one object to another key of the same bucket on the server (no bytes pass through
     * here): one CopyObject up to {@code maxSingleCopy}, a multipart upload of UploadPartCopy
     * pieces above it (aborted if any part fails).
     */
    static void copy(S3Client s3, String bucket, String fromKey, String toKey, long maxSingleCopy, long partBytes) {
        long size = s3.headObject(b -> b.bucket(bucket).key(fromKey)).contentLength();
        if (size <= maxSingleCopy) {
            s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(fromKey).destinationBucket(bucket).destinationKey(toKey));
            return;
        }
        long part = Math.max(partBytes, (size + MAX_PARTS - 1) / MAX_PARTS);
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(toKey)).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            for (long offset = 0; offset < size; offset += part) {
                int number = parts.size() + 1;
                String range = "bytes=" + offset + "-" + (Math.min(offset + part, size) - 1);
                String etag = s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey(fromKey).destinationBucket(bucket)
                        .destinationKey(toKey).uploadId(uploadId).partNumber(number).copySourceRange(range))
                        .copyPartResult().eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(toKey).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
        } catch (RuntimeException e) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(toKey).uploadId(uploadId));
            } catch (RuntimeException abortFailed) {
                e.addSuppressed(abortFailed);
            }
            throw e;
        }
    }

    /** Bytes {@code [start, start + length)} of {@code file}, streamed. */
    private static InputStream slice(Path file, long start, long length) {
        try {
            InputStream in = Files.newInputStream(file);
            in.skipNBytes(start);
            return new Bounded(in, length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A stream that ends after {@code remaining} bytes. */
    private static final class Bounded extends FilterInputStream {
        private long remaining;

        Bounded(InputStream in, long remaining) {
            super(in);
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(Math.min(n, remaining));
            remaining -= skipped;
            return skipped;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(super.available(), remaining);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
