package io.sluice.engine.athena;

import io.sluice.config.SluiceConfig;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.athena.model.InvalidRequestException;

import java.util.UUID;

/**
 * Seed 000's start-up check: the workgroup exists (athena:GetWorkGroup) and the output location is
 * writable (s3:PutObject and s3:DeleteObject of a probe object). A failure names what is missing.
 */
final class AthenaStartupCheck {

    private final AthenaClients clients;
    private final SluiceConfig.Athena config;

    AthenaStartupCheck(AthenaClients clients, SluiceConfig.Athena config) {
        this.clients = clients;
        this.config = config;
    }

    void run() {
        try {
            clients.athena.getWorkGroup(r -> r.workGroup(config.workgroup()));
        } catch (InvalidRequestException e) {
            throw new IllegalStateException("Athena workgroup \"" + config.workgroup() + "\" was not found in "
                    + config.region() + " (engines.athena.workgroup): " + message(e), e);
        } catch (AwsServiceException e) {
            throw new IllegalStateException("cannot read Athena workgroup \"" + config.workgroup() + "\": "
                    + (e.statusCode() == 403 ? "permission athena:GetWorkGroup is missing: " : "") + message(e), e);
        } catch (SdkException e) {
            throw new IllegalStateException("cannot reach Athena in " + config.region() + ": " + e.getMessage(), e);
        }
        S3Location probe = S3Location.parse(config.outputLocation()).sibling("sluice-write-probe-" + UUID.randomUUID());
        try {
            clients.s3.putObject(r -> r.bucket(probe.bucket()).key(probe.key()), RequestBody.fromString("probe"));
        } catch (AwsServiceException e) {
            throw new IllegalStateException("the output location " + config.outputLocation()
                    + " (engines.athena.outputLocation) is not writable: "
                    + (e.statusCode() == 403 ? "permission s3:PutObject is missing: " : "")
                    + (e.statusCode() == 404 ? "the bucket does not exist: " : "") + message(e), e);
        } catch (SdkException e) {
            throw new IllegalStateException("cannot reach S3 for " + config.outputLocation() + ": " + e.getMessage(), e);
        }
        try {
            clients.s3.deleteObject(r -> r.bucket(probe.bucket()).key(probe.key()));
        } catch (AwsServiceException e) {
            throw new IllegalStateException("the output location " + config.outputLocation()
                    + " accepts writes but the probe " + probe + " cannot be deleted"
                    + (e.statusCode() == 403 ? ": permission s3:DeleteObject is missing" : ": " + message(e)), e);
        }
    }

    private static String message(AwsServiceException e) {
        return e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
                ? e.awsErrorDetails().errorMessage() : e.getMessage();
    }
}
