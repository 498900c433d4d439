package io.sluice.standin;

import java.io.InputStream;
import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3ProxyException;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * The blob store as S3 clients see it: object calls whose IAM action {@link Faults#deny denies}
 * answer 403 {@code AccessDenied}, as S3 does for an identity without the permission. The
 * stand-in's own writes go to the blob store underneath and are never refused. Object bodies are
 * read no faster than {@link Faults#s3ReadRate} when it is set, and result files pause as
 * {@link Faults#pauseS3ReadsAfter} says.
 */
final class PermissionCheckingBlobStore extends ForwardingBlobStore {
    private final Faults faults;

    PermissionCheckingBlobStore(BlobStore delegate, Faults faults) {
        super(delegate);
        this.faults = faults;
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
        check("s3:PutObject");
        return super.putBlob(request, content);
    }

    @Override
    public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
        check("s3:DeleteObject");
        return super.removeBlob(request);
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
        check("s3:GetObject");
        ResponseInputStream<GetObjectResponse> blob = super.getBlob(request);
        long rate = faults.s3ReadBytesPerSecond();
        InputStream body = rate == 0 ? blob : new RateLimitedInputStream(blob, rate);
        long[] pause = faults.s3Pause();
        if (pause[0] >= 0 && request.key().endsWith(".csv")) {
            body = new PausedInputStream(body, faults, pause[0], pause[1]);
        }
        return body == blob ? blob : new ResponseInputStream<>(blob.response(), body);
    }

    @Override
    public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
        check("s3:GetObject");
        return super.blobMetadata(request);
    }

    private void check(String action) {
        if (faults.s3Denied(action)) {
            throw new S3ProxyException(S3ErrorCode.ACCESS_DENIED);
        }
    }
}
