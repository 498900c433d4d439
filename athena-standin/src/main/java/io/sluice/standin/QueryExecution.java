package io.sluice.standin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * One query's record: what was asked, where its life stands, and what it produced. Mutable state
 * is guarded by this object's monitor; {@link QueryLifecycle} moves it on. Time is always the
 * stand-in clock's, passed in by the caller.
 */
final class QueryExecution {
    /** Where a query is in its life; finer than Athena's state, which it maps to. */
    enum Phase {
        /** Held in the queue by a queue-delay fault, without a thread. */
        WAITING(QueryState.QUEUED),
        /** Waiting for a worker of the bounded pool. */
        IN_POOL(QueryState.QUEUED),
        /** A worker runs its SQL on DuckDB. */
        EXECUTING(QueryState.RUNNING),
        /** Its SQL has run; a flap fault shows it QUEUED again for a while. */
        FLAPPED(QueryState.QUEUED),
        /** Its SQL has run; a completion-delay fault keeps it RUNNING for a while. */
        DELAYED(QueryState.RUNNING),
        /** Its SQL has run; a hold fault keeps it RUNNING until stopped, cut off or released. */
        HELD(QueryState.RUNNING),
        /** Its result files are being written. */
        PUBLISHING(QueryState.RUNNING),
        /** It is being cancelled; what it wrote so far is being kept. The state does not change yet. */
        CANCELLING(null),
        DONE(null);

        /** The Athena state this phase shows, or null to keep the current one. */
        final QueryState state;

        Phase(QueryState state) {
            this.state = state;
        }
    }

    /** The members of StartQueryExecution that decide idempotency and result reuse. */
    record Request(String queryString, String catalog, String database, String outputLocation, String workGroup) {
        boolean sameParameters(Request other) {
            // Athena compares these as given (a catalog differing only in case is a mismatch);
            // the workgroup is not compared.
            return queryString.equals(other.queryString) && equal(catalog, other.catalog)
                    && equal(database, other.database) && equal(outputLocation, other.outputLocation);
        }

        private static boolean equal(String a, String b) {
            return a == null ? b == null : a.equals(b);
        }
    }

    final String id;
    final String engineQueryId;
    final Request request;
    final AthenaStatement statement;
    final String database;
    final S3Location outputFolder;
    final Long bytesScannedCutoff;
    final Faults.QueryPlan plan;
    final Integer reuseMaxAgeMinutes;
    final Instant submittedAt;

    private Phase phase;
    private QueryState state = QueryState.QUEUED;
    private final List<QueryState> history = new ArrayList<>(List.of(QueryState.QUEUED));
    private Instant stateSince;
    private long queuedMillis;
    private long runningMillis;
    private long planningMillis;
    private long serviceProcessingMillis;
    private Instant executedAt;
    private Instant dueAt;
    private Instant completedAt;
    private String stateChangeReason;
    private QueryFailure failure;
    private long scanTotal = -1;
    private long scannedFinal;
    private boolean reusedPreviousResult;
    private S3Location resultLocation;
    private List<ResultColumn> columns = List.of();
    private Long updateCount;
    private Path resultFile;
    private ParsedSql parsedSql;

    private boolean settling;
    private volatile boolean cancelRequested;
    private String cancelReason;
    private Instant cancelAt;
    private Statement runningStatement;
    private final CountDownLatch workerDone = new CountDownLatch(1);

    QueryExecution(String id, String engineQueryId, Request request, AthenaStatement statement, String database,
            S3Location outputFolder, Long bytesScannedCutoff, Faults.QueryPlan plan, Integer reuseMaxAgeMinutes,
            Instant submittedAt) {
        this.id = id;
        this.engineQueryId = engineQueryId;
        this.request = request;
        this.statement = statement;
        this.database = database;
        this.outputFolder = outputFolder;
        this.bytesScannedCutoff = bytesScannedCutoff;
        this.plan = plan;
        this.reuseMaxAgeMinutes = reuseMaxAgeMinutes;
        this.submittedAt = submittedAt;
        this.stateSince = submittedAt;
        this.phase = plan.queueDelay().isZero() ? Phase.IN_POOL : Phase.WAITING;
        this.dueAt = submittedAt.plus(plan.queueDelay());
        StatementKind.ResultKind kind = statement.kind().result();
        this.resultLocation = outputFolder.child(kind.folder + id + kind.extension);
    }

    /** DuckDB's parse from submission, kept only until the query has run. */
    synchronized ParsedSql parsedSql() {
        return parsedSql;
    }

    synchronized void setParsedSql(ParsedSql parsed) {
        this.parsedSql = parsed;
    }

    synchronized Phase phase() {
        return phase;
    }

    synchronized QueryState state() {
        return state;
    }

    synchronized List<QueryState> history() {
        return List.copyOf(history);
    }

    synchronized Instant dueAt() {
        return dueAt;
    }

    synchronized S3Location resultLocation() {
        return resultLocation;
    }

    synchronized List<ResultColumn> columns() {
        return columns;
    }

    synchronized Long updateCount() {
        return updateCount;
    }

    synchronized Path resultFile() {
        return resultFile;
    }

    synchronized Instant completedAt() {
        return completedAt;
    }

    synchronized Instant executedAt() {
        return executedAt;
    }

    synchronized long scanTotal() {
        return scanTotal;
    }

    /** Moves to {@code next} only from {@code expected}; true when it did. */
    synchronized boolean advance(Phase expected, Phase next, Instant at) {
        if (phase != expected) {
            return false;
        }
        moveTo(next, at);
        return true;
    }

    synchronized void moveTo(Phase next, Instant at) {
        phase = next;
        if (next.state != null) {
            enter(next.state, at);
        }
    }

    synchronized void setDueAt(Instant due) {
        this.dueAt = due;
    }

    synchronized void planned(long totalScanBytes, Instant at) {
        this.scanTotal = totalScanBytes;
        this.planningMillis = Math.max(0, runningMillis + millisBetween(stateSince, at));
    }

    /** The SQL has run: keep what it produced, not yet published. */
    synchronized void executed(Path file, List<ResultColumn> resultColumns, Long count, Instant at) {
        this.resultFile = file;
        this.columns = List.copyOf(resultColumns);
        this.updateCount = count;
        this.executedAt = at;
        this.parsedSql = null;
    }

    synchronized void setResultFile(Path file) {
        this.resultFile = file;
    }

    /** Bytes scanned as of {@code now}: growing at the fault's rate while running, capped by the estimate unless held. */
    synchronized long dataScanned(Instant now) {
        if (state.isTerminal()) {
            return scannedFinal;
        }
        long grown = scannedAfter(runningMillis(now));
        return phase == Phase.HELD ? grown : Math.min(grown, Math.max(scanTotal, 0));
    }

    /**
     * When the growing scan passes the workgroup's cutoff, or null if it never will (no cutoff, or
     * a finite scan under it). Only meaningful while RUNNING.
     */
    synchronized Instant cutoffCrossing() {
        if (bytesScannedCutoff == null || state != QueryState.RUNNING) {
            return null;
        }
        if (phase != Phase.HELD && (scanTotal < 0 || scanTotal <= bytesScannedCutoff)) {
            return null;
        }
        long millisNeeded = (long) Math.ceil(bytesScannedCutoff * 1000.0 / plan.scanBytesPerSecond());
        long remaining = Math.max(0, millisNeeded - runningMillis);
        return stateSince.plusMillis(remaining);
    }

    /** Ends the query. Later calls change nothing: a finished query never changes state again. */
    synchronized boolean finish(QueryState terminal, Instant at, String reason, QueryFailure why, long scanned) {
        if (state.isTerminal()) {
            return false;
        }
        enter(terminal, at);
        phase = Phase.DONE;
        settling = false;
        notifyAll();
        completedAt = at;
        stateChangeReason = reason;
        failure = why;
        scannedFinal = scanned;
        return true;
    }

    /** Makes this query a reuse of an earlier one's result: SUCCEEDED at once, nothing scanned. */
    synchronized void reuse(QueryExecution earlier, Instant at) {
        this.reusedPreviousResult = true;
        this.resultLocation = earlier.resultLocation();
        this.columns = earlier.columns();
        this.updateCount = earlier.updateCount();
        finish(QueryState.SUCCEEDED, at, null, null, 0);
    }

    synchronized void recordServiceProcessing(Instant executed, Instant published) {
        this.serviceProcessingMillis = millisBetween(executed, published);
    }

    /** Marks a due transition as being carried out (caller holds the lock); {@link #finish} ends it. */
    synchronized void settling() {
        settling = true;
    }

    /** Waits, at most {@code timeout}, until no due transition is being carried out. */
    synchronized void awaitSettled(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (settling) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                wait(Math.max(1, left / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // --- cancellation of a running worker -------------------------------------------------------

    boolean cancelRequested() {
        return cancelRequested;
    }

    synchronized String cancelReason() {
        return cancelReason;
    }

    synchronized Instant cancelAt() {
        return cancelAt;
    }

    /** Asks the worker to stop; the first reason wins. Interrupts DuckDB if a statement runs. */
    void requestCancel(String reason, Instant at) {
        Statement toCancel;
        synchronized (this) {
            if (cancelRequested) {
                return;
            }
            cancelReason = reason;
            cancelAt = at;
            cancelRequested = true;
            toCancel = runningStatement;
        }
        if (toCancel != null) {
            try {
                toCancel.cancel();
            } catch (SQLException e) {
                // The statement already ended; the worker sees the flag at its next row.
            }
        }
    }

    synchronized void attach(Statement statement) {
        this.runningStatement = statement;
        if (cancelRequested) {
            try {
                statement.cancel();
            } catch (SQLException e) {
                // Not running yet; the worker checks the flag before and after executing.
            }
        }
    }

    void workerFinished() {
        synchronized (this) {
            runningStatement = null;
        }
        workerDone.countDown();
    }

    boolean awaitWorker(Duration timeout) throws InterruptedException {
        return workerDone.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    // --- rendering -------------------------------------------------------------------------------

    /** The {@code QueryExecution} structure of GetQueryExecution, as of {@code now}. */
    synchronized ObjectNode toJson(Instant now) {
        ObjectNode node = Json.object();
        node.put("QueryExecutionId", id);
        node.put("Query", request.queryString());
        node.put("StatementType", statement.kind().statementType());
        node.put("SubstatementType", statement.kind().substatementType());
        node.putObject("ResultConfiguration").put("OutputLocation", resultLocation.uri());
        ObjectNode reuse = node.putObject("ResultReuseConfiguration").putObject("ResultReuseByAgeConfiguration");
        reuse.put("Enabled", reuseMaxAgeMinutes != null);
        if (reuseMaxAgeMinutes != null) {
            reuse.put("MaxAgeInMinutes", reuseMaxAgeMinutes);
        }
        ObjectNode context = node.putObject("QueryExecutionContext");
        if (request.database() != null) {
            context.put("Database", request.database());
        }
        // Athena echoes the catalog in lower case.
        context.put("Catalog", request.catalog() == null ? DuckDbEngine.CATALOG
                : request.catalog().toLowerCase(Locale.ROOT));
        node.set("Status", status());
        node.set("Statistics", statistics(now));
        node.put("WorkGroup", request.workGroup());
        ObjectNode engine = node.putObject("EngineVersion");
        engine.put("SelectedEngineVersion", "AUTO");
        engine.put("EffectiveEngineVersion", "Athena engine version 3");
        return node;
    }

    private ObjectNode status() {
        ObjectNode status = Json.object();
        status.put("State", state.name());
        if (stateChangeReason != null) {
            status.put("StateChangeReason", stateChangeReason);
        }
        status.put("SubmissionDateTime", Json.epochSeconds(submittedAt));
        if (completedAt != null) {
            status.put("CompletionDateTime", Json.epochSeconds(completedAt));
        }
        if (failure != null) {
            ObjectNode error = status.putObject("AthenaError");
            error.put("ErrorCategory", failure.category);
            error.put("ErrorType", failure.errorType);
            error.put("Retryable", false);
            error.put("ErrorMessage", failure.reason());
        }
        return status;
    }

    private ObjectNode statistics(Instant now) {
        Instant end = completedAt != null ? completedAt : now;
        ObjectNode statistics = Json.object();
        // Writing the result files is service processing, not engine time, though the query shows RUNNING.
        statistics.put("EngineExecutionTimeInMillis", Math.max(0, runningMillis(now) - serviceProcessingMillis));
        statistics.put("DataScannedInBytes", dataScanned(now));
        statistics.put("TotalExecutionTimeInMillis", millisBetween(submittedAt, end));
        statistics.put("QueryQueueTimeInMillis", queuedMillis + (state == QueryState.QUEUED
                ? millisBetween(stateSince, now) : 0));
        statistics.put("ServicePreProcessingTimeInMillis", 0L);
        statistics.put("QueryPlanningTimeInMillis", planningMillis);
        statistics.put("ServiceProcessingTimeInMillis", serviceProcessingMillis);
        statistics.putObject("ResultReuseInformation").put("ReusedPreviousResult", reusedPreviousResult);
        return statistics;
    }

    private long runningMillis(Instant now) {
        return runningMillis + (state == QueryState.RUNNING ? millisBetween(stateSince, now) : 0);
    }

    private long scannedAfter(long millisRunning) {
        return (long) (millisRunning / 1000.0 * plan.scanBytesPerSecond());
    }

    private void enter(QueryState next, Instant at) {
        long spent = millisBetween(stateSince, at);
        if (state == QueryState.QUEUED) {
            queuedMillis += spent;
        } else if (state == QueryState.RUNNING) {
            runningMillis += spent;
        }
        if (next != state) {
            history.add(next);
        }
        state = next;
        stateSince = at;
    }

    private static long millisBetween(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toMillis());
    }
}
