package io.sluice.engine.athena;

import io.sluice.engine.RemoteStatus;
import io.sluice.engine.RemoteStatus.EngineFailure;
import io.sluice.engine.RemoteStatus.RemoteState;
import software.amazon.awssdk.services.athena.model.AthenaError;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.QueryExecutionStatistics;
import software.amazon.awssdk.services.athena.model.QueryExecutionStatus;

import java.util.LinkedHashMap;
import java.util.Map;

/** Athena's view of a query execution, mapped onto the engine SPI's {@link RemoteStatus}. */
final class AthenaStatuses {

    /** Athena's StateChangeReason when a workgroup's BytesScannedCutoffPerQuery stopped a query. */
    static final String SCAN_CUTOFF_REASON = "Bytes scanned limit was exceeded";

    private AthenaStatuses() {
    }

    static RemoteStatus of(QueryExecution execution, AthenaPricing pricing) {
        QueryExecutionStatus status = execution.status();
        QueryExecutionState state = status == null ? null : status.state();
        RemoteState mapped = switch (state == null ? QueryExecutionState.UNKNOWN_TO_SDK_VERSION : state) {
            case QUEUED -> RemoteState.QUEUED;
            case RUNNING -> RemoteState.RUNNING;
            case SUCCEEDED -> RemoteState.SUCCEEDED;
            case FAILED -> RemoteState.FAILED;
            case CANCELLED -> RemoteState.CANCELLED;
            default -> RemoteState.QUEUED; // an unknown new state: keep watching
        };
        QueryExecutionStatistics stats = execution.statistics();
        Long queue = stats == null ? null : stats.queryQueueTimeInMillis();
        Long engine = stats == null ? null : stats.engineExecutionTimeInMillis();
        Long scanned = stats == null ? null : stats.dataScannedInBytes();
        boolean reused = stats != null && stats.resultReuseInformation() != null
                && Boolean.TRUE.equals(stats.resultReuseInformation().reusedPreviousResult());
        String statementType = execution.statementTypeAsString();
        double cost = pricing.cost(scanned, statementType, mapped == RemoteState.FAILED, reused,
                mapped == RemoteState.CANCELLED);
        return new RemoteStatus(mapped, queue, engine, scanned, cost, reused,
                status == null ? null : status.completionDateTime(), failure(mapped, status),
                mapped == RemoteState.SUCCEEDED ? AthenaResultSource.of(execution) : null);
    }

    private static EngineFailure failure(RemoteState state, QueryExecutionStatus status) {
        if (status == null || (state != RemoteState.FAILED && state != RemoteState.CANCELLED)) {
            return null;
        }
        String reason = status.stateChangeReason();
        AthenaError error = status.athenaError();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("engine", "athena");
        if (reason != null) {
            details.put("stateChangeReason", reason);
        }
        if (error != null) {
            if (error.errorCategory() != null) {
                details.put("errorCategory", error.errorCategory());
                details.put("errorCategoryName", category(error.errorCategory()));
            }
            if (error.errorType() != null) {
                details.put("errorType", error.errorType());
            }
            if (error.retryable() != null) {
                details.put("retryable", error.retryable());
            }
        }
        String message = error != null && error.errorMessage() != null ? error.errorMessage() : reason;
        if (state == RemoteState.CANCELLED) {
            if (reason != null && reason.contains(SCAN_CUTOFF_REASON)) {
                return new EngineFailure("SCAN_LIMIT_EXCEEDED", reason, details);
            }
            return null; // stopped by a user (ours or someone with console access): no error
        }
        return new EngineFailure("QUERY_FAILED", message == null ? "the query failed" : message, details);
    }

    private static String category(int category) {
        return switch (category) {
            case 1 -> "SYSTEM";
            case 2 -> "USER";
            default -> "OTHER";
        };
    }
}
