package io.sluice.result;

import io.sluice.standin.AthenaStandIn;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A bucket on the Athena stand-in's S3 server and a client of the real AWS SDK whose every request
 * is recorded by an SDK interceptor (what a read or a publish costs), for the S3 store's tests.
 */
final class S3TestBucket implements AutoCloseable {

    static final String BUCKET = "shared-results";

    final AthenaStandIn standIn;
    final S3Client s3;
    /** Every request the SDK sent: its operation, key and, for GETs, range. */
    final List<Call> calls = new CopyOnWriteArrayList<>();

    record Call(String operation, String key, String range) {
    }

    private S3TestBucket() {
        standIn = AthenaStandIn.builder().build().start();
        standIn.createBucket(BUCKET);
        s3 = S3Client.builder().endpointOverride(standIn.s3Endpoint()).region(Region.of(standIn.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(standIn.accessKeyId(), standIn.secretAccessKey())))
                .httpClient(UrlConnectionHttpClient.create())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                        calls.add(call(context.request()));
                    }
                }))
                .build();
    }

    static S3TestBucket start() {
        return new S3TestBucket();
    }

    /** The keys under {@code prefix}. */
    List<String> keys(String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
                .map(S3Object::key).toList();
    }

    private static Call call(SdkRequest request) {
        if (request instanceof GetObjectRequest get) {
            return new Call("GetObject", get.key(), get.range());
        }
        if (request instanceof PutObjectRequest put) {
            return new Call("PutObject", put.key(), null);
        }
        if (request instanceof CreateMultipartUploadRequest create) {
            return new Call("CreateMultipartUpload", create.key(), null);
        }
        if (request instanceof UploadPartRequest part) {
            return new Call("UploadPart", part.key(), null);
        }
        return new Call(request.getClass().getSimpleName(), null, null);
    }

    @Override
    public void close() {
        s3.close();
        standIn.close();
    }
}
