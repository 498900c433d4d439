package io.sluice.standin;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.gaul.s3proxy.blobstore.BlobStore;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Reads and writes result objects straight through s3proxy's blob store, the same storage its S3
 * endpoint serves; the stand-in itself needs no HTTP round trip or signature.
 */
final class ResultStore {
    /** Athena stores its result files untyped. */
    private static final String CONTENT_TYPE = "application/octet-stream";

    private final BlobStore blobStore;

    ResultStore(BlobStore blobStore) {
        this.blobStore = blobStore;
    }

    void createBucket(String bucket) {
        if (!blobStore.containerExists(bucket)) {
            blobStore.createContainer(bucket);
        }
    }

    boolean bucketExists(String bucket) {
        return blobStore.containerExists(bucket);
    }

    /** Uploads a file by streaming it; nothing is held in memory. */
    void putFile(S3Location location, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            blobStore.putBlob(request(location, Files.size(file)), in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void putBytes(S3Location location, byte[] bytes) {
        blobStore.putBlob(request(location, bytes.length), new ByteArrayInputStream(bytes));
    }

    /** The object's size, or empty when it does not exist. */
    Optional<Long> size(S3Location location) {
        HeadObjectResponse head = blobStore.blobMetadataIfPresent(location.bucket(), location.key());
        return head == null ? Optional.empty() : Optional.of(head.contentLength());
    }

    /** Streams the object from a byte offset; the offset must be below the object's size. */
    InputStream openFrom(S3Location location, long offset) {
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(location.bucket()).key(location.key());
        if (offset > 0) {
            request.range("bytes=" + offset + "-");
        }
        return blobStore.getBlob(request.build());
    }

    private static PutObjectRequest request(S3Location location, long length) {
        return PutObjectRequest.builder()
                .bucket(location.bucket())
                .key(location.key())
                .contentLength(length)
                .contentType(CONTENT_TYPE)
                .build();
    }
}
