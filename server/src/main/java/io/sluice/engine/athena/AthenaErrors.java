package io.sluice.engine.athena;

import io.sluice.engine.EngineException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.athena.model.InvalidRequestException;

import java.util.LinkedHashMap;
import java.util.Map;

/** Turns AWS SDK failures into the engine SPI's {@link EngineException}, keeping Athena's words. */
final class AthenaErrors {

    private AthenaErrors() {
    }

    static EngineException of(String action, SdkException e) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("engine", "athena");
        details.put("action", action);
        if (e instanceof InvalidRequestException invalid) {
            String athenaCode = invalid.athenaErrorCode();
            if (athenaCode != null) {
                details.put("athenaErrorCode", athenaCode);
            }
            String message = invalid.awsErrorDetails() == null ? invalid.getMessage()
                    : invalid.awsErrorDetails().errorMessage();
            String code = "MALFORMED_QUERY".equals(athenaCode) ? "SYNTAX_ERROR" : "QUERY_FAILED";
            return new EngineException(code, EngineException.Kind.USER, message, details, e);
        }
        if (e instanceof AwsServiceException service) {
            String awsCode = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            details.put("awsErrorCode", awsCode);
            details.put("httpStatus", service.statusCode());
            details.values().removeIf(v -> v == null);
            // Athena refuses a missing permission with HTTP 400 AccessDeniedException, S3 with 403.
            EngineException.Kind kind = service.statusCode() == 403 || "AccessDeniedException".equals(awsCode)
                    ? EngineException.Kind.USER : EngineException.Kind.EXTERNAL;
            return new EngineException("ENGINE_UNAVAILABLE", kind, service.awsErrorDetails() == null
                    ? service.getMessage() : service.awsErrorDetails().errorMessage(), details, e);
        }
        return new EngineException("ENGINE_UNAVAILABLE", EngineException.Kind.EXTERNAL,
                "Athena could not be reached: " + e.getMessage(), details, e);
    }
}
