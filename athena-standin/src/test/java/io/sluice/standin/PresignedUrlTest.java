package io.sluice.standin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.signer.AwsS3V4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4PresignerParams;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** The S3 endpoint checks SigV4 presigned URLs as S3 does: good ones work, altered or expired ones are refused. */
class PresignedUrlTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static StandInClients c;
    private static String key;

    @BeforeAll
    static void start() {
        c = StandInClients.start(AthenaStandIn.builder());
        String location = c.run("SELECT 'downloadable' AS d").resultConfiguration().outputLocation();
        key = URI.create(location).getPath().substring(1);
    }

    @AfterAll
    static void stop() {
        c.close();
    }

    @Test
    void aPresignedUrlFromTheSdkDownloadsTheResult() throws Exception {
        URI url = presign(Duration.ofMinutes(5));

        HttpResponse<String> response = get(url);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("\"d\"\n\"downloadable\"\n");
    }

    @Test
    void aTamperedSignatureIsRefused() throws Exception {
        String url = presign(Duration.ofMinutes(5)).toString();
        char last = url.charAt(url.length() - 1);
        URI tampered = URI.create(url.substring(0, url.length() - 1) + (last == '0' ? '1' : '0'));

        assertThat(get(tampered).statusCode()).isEqualTo(403);
    }

    @Test
    void anExpiredUrlIsRefused() throws Exception {
        Instant now = Instant.now();
        URI current = presignAt(now, now.plus(Duration.ofMinutes(5)));
        URI expired = presignAt(now.minus(Duration.ofHours(2)), now.minus(Duration.ofHours(1)));

        assertThat(get(current).statusCode()).isEqualTo(200);
        assertThat(get(expired).statusCode()).isEqualTo(403);
    }

    private static URI presign(Duration validFor) throws Exception {
        try (S3Presigner presigner = S3Presigner.builder()
                .endpointOverride(c.standIn.s3Endpoint())
                .region(Region.of(c.standIn.region()))
                .credentialsProvider(StandInClients.credentials(c.standIn))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build()) {
            return presigner.presignGetObject(b -> b.signatureDuration(validFor)
                    .getObjectRequest(g -> g.bucket(StandInClients.BUCKET).key(key))).url().toURI();
        }
    }

    /** A URL signed as of {@code signedAt}; the SDK's presigner has no clock to set, its signer has. */
    @SuppressWarnings("deprecation")
    private static URI presignAt(Instant signedAt, Instant expiresAt) {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.GET)
                .uri(URI.create(c.standIn.s3Endpoint() + "/" + StandInClients.BUCKET + "/" + key))
                .build();
        Aws4PresignerParams params = Aws4PresignerParams.builder()
                .awsCredentials(AwsBasicCredentials.create(c.standIn.accessKeyId(), c.standIn.secretAccessKey()))
                .signingName("s3")
                .signingRegion(Region.of(c.standIn.region()))
                .signingClockOverride(Clock.fixed(signedAt, ZoneOffset.UTC))
                .expirationTime(expiresAt)
                .build();
        return AwsS3V4Signer.create().presign(request, params).getUri();
    }

    private static HttpResponse<String> get(URI url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
