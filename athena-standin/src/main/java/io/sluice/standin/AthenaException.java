package io.sluice.standin;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An error answered to an Athena API call, shaped like the real service's AWS JSON 1.1 errors:
 * {@code {"__type":..., "AthenaErrorCode":..., "ErrorCode":..., "Message":...}}. The real service
 * repeats {@code AthenaErrorCode} as {@code ErrorCode} and sends no {@code x-amzn-ErrorType} header.
 */
final class AthenaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    static final String INVALID_INPUT = "INVALID_INPUT";

    final int status;
    final String type;
    final String athenaErrorCode;
    final String reason;

    private AthenaException(int status, String type, String athenaErrorCode, String message, String reason) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.athenaErrorCode = athenaErrorCode;
        this.reason = reason;
    }

    static AthenaException invalidRequest(String athenaErrorCode, String message) {
        return new AthenaException(400, "InvalidRequestException", athenaErrorCode, message, null);
    }

    static AthenaException invalidInput(String message) {
        return invalidRequest(INVALID_INPUT, message);
    }

    static AthenaException queryNotFound(String id) {
        return invalidRequest("QUERY_EXECUTION_NOT_FOUND", "QueryExecution " + id + " was not found");
    }

    /** The body could not be read as the operation's input; real Athena sends no code, sometimes no message. */
    static AthenaException serialization(String messageOrNull) {
        return new AthenaException(400, "SerializationException", null, messageOrNull, null);
    }

    static AthenaException unknownOperation() {
        return new AthenaException(400, "UnknownOperationException", null, null, null);
    }

    static AthenaException metadata(String message) {
        return new AthenaException(400, "MetadataException", null, message, null);
    }

    static AthenaException throttling() {
        return new AthenaException(400, "ThrottlingException", null, "Rate exceeded", null);
    }

    static AthenaException tooManyRequests() {
        return new AthenaException(400, "TooManyRequestsException", null,
                "You have exceeded the limit for the number of queries you can run concurrently. "
                        + "Reduce the number of concurrent queries submitted by this account.",
                "CONCURRENT_QUERY_LIMIT_EXCEEDED");
    }

    /** An identity without the IAM permission: Athena answers HTTP 400, not 403. */
    static AthenaException accessDenied(String action) {
        return new AthenaException(400, "AccessDeniedException", null, "User: arn:aws:iam::000000000000:user/standin"
                + " is not authorized to perform: " + action + " because no identity-based policy allows the "
                + action + " action", null);
    }

    static AthenaException internal() {
        return new AthenaException(500, "InternalServerException", null,
                "We encountered an internal error. Please try again.", null);
    }

    ObjectNode body() {
        ObjectNode body = Json.object();
        body.put("__type", type);
        if (athenaErrorCode != null) {
            body.put("AthenaErrorCode", athenaErrorCode);
            body.put("ErrorCode", athenaErrorCode);
        }
        if (getMessage() != null) {
            body.put("Message", getMessage());
        }
        if (reason != null) {
            body.put("Reason", reason);
        }
        return body;
    }
}
