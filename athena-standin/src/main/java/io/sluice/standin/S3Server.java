package io.sluice.standin;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;

/**
 * An S3-compatible server in this JVM (s3proxy) that enforces AWS Signature V4, so presigned URLs
 * made by the real SDK are checked (tampered or expired ones are refused with 403). Objects live
 * in memory by default, or under a directory so that large results stay out of the heap.
 */
final class S3Server implements AutoCloseable {
    private final BlobStore blobStore;
    private final S3Proxy proxy;

    S3Server(Path blobDirOrNull, int port, String accessKeyId, String secretAccessKey, Faults faults)
            throws Exception {
        Properties properties = new Properties();
        String provider = "transient";
        if (blobDirOrNull != null) {
            Files.createDirectories(blobDirOrNull);
            provider = "filesystem";
            properties.setProperty("jclouds.filesystem.basedir", blobDirOrNull.toAbsolutePath().toString());
        }
        this.blobStore = BlobStores.create(provider, properties);
        this.proxy = S3Proxy.builder()
                .blobStore(new PermissionCheckingBlobStore(blobStore, faults))
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V4, accessKeyId, secretAccessKey)
                .build();
    }

    void start() throws Exception {
        proxy.start();
        // start() returns before Jetty reports STARTED; the port is known only then.
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!"STARTED".equals(proxy.getState())) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
            }
            Thread.onSpinWait();
            Thread.sleep(1);
        }
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /** The storage underneath, which no permission fault refuses. */
    BlobStore blobStore() {
        return blobStore;
    }

    @Override
    public void close() throws Exception {
        try {
            proxy.stop();
        } finally {
            blobStore.close();
        }
    }
}
