package io.sluice.engine.athena;

import io.sluice.aws.S3Location;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.athena.model.InvalidRequestException;

import java.util.Set;
import java.util.UUID;

/**
 * The start-up check: the workgroup exists (athena:GetWorkGroup) and the output location is
 * writable (s3:PutObject and s3:DeleteObject of a probe object). A failure names what is missing.
 *
 * <p>Failures are told apart by the AWS error code, not the HTTP status: Athena refuses a missing
 * permission with HTTP 400 {@code AccessDeniedException}, S3 with 403 {@code AccessDenied}, and
 * both answer 403 for credentials they do not accept too.
 */
final class AthenaStartupCheck {

    private static final Set<String> ACCESS_DENIED = Set.of("AccessDenied", "AccessDeniedException");
    private static final Set<String> CREDENTIALS_REFUSED = Set.of("InvalidAccessKeyId", "SignatureDoesNotMatch",
            "UnrecognizedClientException", "InvalidClientTokenId", "InvalidSignatureException", "ExpiredToken",
            "ExpiredTokenException", "InvalidToken");

    private final AthenaClients clients;
    private final String engine;
    private final AthenaSettings config;

    AthenaStartupCheck(AthenaClients clients, String engine, AthenaSettings config) {
        this.clients = clients;
        this.engine = engine;
        this.config = config;
    }

    void run() {
        try {
            clients.athena.getWorkGroup(r -> r.workGroup(config.workgroup()));
        } catch (AwsServiceException e) {
            String prefix = "cannot read Athena workgroup \"" + config.workgroup() + "\": ";
            String code = code(e);
            if (ACCESS_DENIED.contains(code)) {
                throw new IllegalStateException(prefix + "permission athena:GetWorkGroup is missing (" + code + "): "
                        + message(e), e);
            }
            if (CREDENTIALS_REFUSED.contains(code)) {
                throw new IllegalStateException(prefix + credentials(code) + message(e), e);
            }
            if (e instanceof InvalidRequestException) {
                throw new IllegalStateException("Athena workgroup \"" + config.workgroup() + "\" was not found in "
                        + config.region() + " (engines." + engine + ".workgroup): " + message(e), e);
            }
            throw new IllegalStateException(prefix + code + ": " + message(e), e);
        } catch (SdkException e) {
            throw new IllegalStateException("cannot reach Athena in " + config.region() + ": " + e.getMessage(), e);
        }
        S3Location output = S3Location.parse(config.outputLocation());
        S3Location probe = output.sibling("sluice-write-probe-" + UUID.randomUUID());
        try {
            clients.s3.putObject(r -> r.bucket(probe.bucket()).key(probe.key()), RequestBody.fromString("probe"));
        } catch (AwsServiceException e) {
            String prefix = "the output location " + config.outputLocation()
                    + " (engines.athena.outputLocation) is not writable: ";
            String code = code(e);
            if (ACCESS_DENIED.contains(code)) {
                throw new IllegalStateException(prefix + "permission s3:PutObject is missing (" + code + "): "
                        + message(e), e);
            }
            if (CREDENTIALS_REFUSED.contains(code)) {
                throw new IllegalStateException(prefix + credentials(code) + message(e), e);
            }
            if ("NoSuchBucket".equals(code)) {
                throw new IllegalStateException(prefix + "the bucket \"" + output.bucket() + "\" does not exist: "
                        + message(e), e);
            }
            throw new IllegalStateException(prefix + code + ": " + message(e), e);
        } catch (SdkException e) {
            throw new IllegalStateException("cannot reach S3 for " + config.outputLocation() + ": " + e.getMessage(), e);
        }
        try {
            clients.s3.deleteObject(r -> r.bucket(probe.bucket()).key(probe.key()));
        } catch (AwsServiceException e) {
            String prefix = "the output location " + config.outputLocation() + " accepts writes but the probe "
                    + probe + " cannot be deleted: ";
            String code = code(e);
            throw new IllegalStateException(prefix + (ACCESS_DENIED.contains(code)
                    ? "permission s3:DeleteObject is missing (" + code + "): " : code + ": ") + message(e), e);
        } catch (SdkException e) {
            throw new IllegalStateException("cannot reach S3 for " + config.outputLocation() + ": " + e.getMessage(), e);
        }
    }

    private static String credentials(String code) {
        return "the AWS credentials were refused (" + code + "); check what the default credential chain "
                + "finds (environment, profile, SSO, container or instance role): ";
    }

    private static String code(AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        return code == null ? "HTTP " + e.statusCode() : code;
    }

    private static String message(AwsServiceException e) {
        return e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
                ? e.awsErrorDetails().errorMessage() : e.getMessage();
    }
}
