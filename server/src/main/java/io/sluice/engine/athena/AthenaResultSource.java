package io.sluice.engine.athena;

import io.sluice.engine.RemoteStatus;
import software.amazon.awssdk.services.athena.model.QueryExecution;

/**
 * What reading a finished query's result needs: its id, where Athena wrote the result and the
 * statement type (DML pages start with a header row). The poller's BatchGetQueryExecution already
 * returned all three, so this rides along in the succeeded status and spares a GetQueryExecution.
 *
 * @param outputLocation {@code s3://…/<id>.csv} for SELECT-like statements, {@code .txt} and others
 *                       for the rest, or null if Athena named none
 */
record AthenaResultSource(String queryExecutionId, String outputLocation, String statementType)
        implements RemoteStatus.ResultHandle {

    static AthenaResultSource of(QueryExecution execution) {
        return new AthenaResultSource(execution.queryExecutionId(),
                execution.resultConfiguration() == null ? null : execution.resultConfiguration().outputLocation(),
                execution.statementTypeAsString());
    }
}
