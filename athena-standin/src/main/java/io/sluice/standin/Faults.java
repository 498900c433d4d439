package io.sluice.standin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Faults that tests switch on and off at run time. Thread-safe; every setter returns {@code this}.
 *
 * <p><b>Call faults</b> answer a share of API calls with an error before the operation runs. The
 * share is applied deterministically, not randomly: with share 0.25 exactly every fourth matching
 * call fails. {@code operations} are Athena operation names such as {@code "GetQueryExecution"};
 * none means every operation. A share of 0 switches the fault off. Faulted calls still count in
 * {@link CallCounts}.
 *
 * <p><b>Query faults</b> shape the life of queries started after the setter was called (each query
 * takes a snapshot when it is submitted). Times are measured on the stand-in's {@link Clock}, so a
 * test with a {@link ManualClock} moves queries on by advancing it. Waiting and held queries use no
 * thread and no DuckDB connection.
 */
public final class Faults {
    /** Default growth of {@code DataScannedInBytes} while a query is running: 10 MB a second. */
    public static final long DEFAULT_SCAN_BYTES_PER_SECOND = 10_000_000L;

    private final Clock clock;
    private final Map<CallFault, ShareRule> callRules = new EnumMap<>(CallFault.class);
    private final Set<String> denied = new java.util.HashSet<>();
    private ShareRule lostAnswers;
    private final List<DelayRule> completionDelays = new ArrayList<>();
    private Duration queueDelay = Duration.ZERO;
    private Duration flapQueuedFor = Duration.ZERO;
    private Duration defaultCompletionDelay = Duration.ZERO;
    private Pattern holdPattern;
    private Pattern failPattern;
    private boolean holdAll;
    private long scanBytesPerSecond = DEFAULT_SCAN_BYTES_PER_SECOND;
    private long s3ReadBytesPerSecond;
    private long releaseGeneration;
    private long s3PauseAfterBytes = -1;
    private long s3PauseGeneration;
    private Instant releasedAt = Instant.EPOCH;

    Faults(Clock clock) {
        this.clock = clock;
    }

    /** Answers a share of matching calls with {@code ThrottlingException: Rate exceeded} (HTTP 400). */
    public synchronized Faults throttle(double share, String... operations) {
        return setCallRule(CallFault.THROTTLING, share, operations);
    }

    /**
     * Answers a share of matching calls with {@code TooManyRequestsException}, {@code Reason
     * CONCURRENT_QUERY_LIMIT_EXCEEDED} (HTTP 400).
     */
    public synchronized Faults tooManyRequests(double share, String... operations) {
        return setCallRule(CallFault.TOO_MANY_REQUESTS, share, operations);
    }

    /** Answers a share of matching calls with {@code InternalServerException} (HTTP 500). */
    public synchronized Faults internalErrors(double share, String... operations) {
        return setCallRule(CallFault.INTERNAL_ERROR, share, operations);
    }

    /**
     * Runs a share of matching calls and then answers {@code InternalServerException} (HTTP 500),
     * as when the answer is lost on its way back: the SDK retries a call that already took effect
     * (for StartQueryExecution, with the same {@code ClientRequestToken}).
     */
    public synchronized Faults loseAnswers(double share, String... operations) {
        checkShare(share);
        lostAnswers = share == 0 ? null : new ShareRule(share, Set.of(operations));
        return this;
    }

    /**
     * Refuses every call of these operations as an identity without the IAM permission would be
     * refused. Athena operations ({@code "GetWorkGroup"} or {@code "athena:GetWorkGroup"}) answer {@code AccessDeniedException}
     * with HTTP 400, as the real service does; S3 operations, written as IAM actions
     * ({@code "s3:PutObject"}, {@code "s3:DeleteObject"}, {@code "s3:GetObject"}, which covers
     * HeadObject), answer 403 {@code AccessDenied}. The stand-in's own result writes are not affected.
     */
    public synchronized Faults deny(String... operations) {
        if (operations.length == 0) {
            throw new IllegalArgumentException("name the operations to deny");
        }
        denied.addAll(Set.of(operations));
        return this;
    }

    /** New queries stay QUEUED for this long before they run. */
    public synchronized Faults queueDelay(Duration delay) {
        this.queueDelay = nonNegative(delay);
        return this;
    }

    /**
     * New queries, once their SQL has run, fall back from RUNNING to QUEUED for this long (Athena's
     * transient retries), then run again. A query also held ({@link #holdMatching(String)}) falls
     * back when it is released instead, so that a client can be seen to show it RUNNING first.
     */
    public synchronized Faults flapToQueued(Duration queuedFor) {
        this.flapQueuedFor = nonNegative(queuedFor);
        return this;
    }

    /** New queries stay RUNNING this long after their SQL has run before they finish. */
    public synchronized Faults completionDelay(Duration delay) {
        this.defaultCompletionDelay = nonNegative(delay);
        return this;
    }

    /**
     * New queries whose SQL contains a match of {@code sqlRegex} stay RUNNING this long after their
     * SQL has run; the first matching rule wins over the default {@link #completionDelay(Duration)}.
     */
    public synchronized Faults completionDelay(String sqlRegex, Duration delay) {
        completionDelays.add(new DelayRule(Pattern.compile(sqlRegex), nonNegative(delay)));
        return this;
    }

    /**
     * New queries whose SQL contains a match of {@code sqlRegex} run until they are stopped, cut
     * off by the workgroup's scan limit, or {@link #releaseHeld() released}; their
     * {@code DataScannedInBytes} keeps growing at {@link #scanRate(long)}. Their SQL has run, so a
     * stopped one leaves a partial {@code <id>.csv}: the header and the first half of its rows.
     * {@code null} turns it off.
     */
    public synchronized Faults holdMatching(String sqlRegex) {
        this.holdPattern = sqlRegex == null ? null : Pattern.compile(sqlRegex);
        return this;
    }

    /**
     * New queries whose SQL contains a match of {@code sqlRegex} run their SQL and then FAIL
     * ({@code GENERIC_INTERNAL_ERROR}, a lost worker), leaving the header and the first half of
     * their rows in {@code <id>.csv} and no {@code .metadata}: Athena's "partial objects may
     * remain". {@code null} turns it off.
     */
    public synchronized Faults failAfterRunning(String sqlRegex) {
        this.failPattern = sqlRegex == null ? null : Pattern.compile(sqlRegex);
        return this;
    }

    /** Like {@link #holdMatching(String)} for every new query. */
    public synchronized Faults holdAll(boolean hold) {
        this.holdAll = hold;
        return this;
    }

    /** How fast {@code DataScannedInBytes} grows while a query runs, in bytes per clock second. */
    public synchronized Faults scanRate(long bytesPerSecond) {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("scan rate must be positive: " + bytesPerSecond);
        }
        this.scanBytesPerSecond = bytesPerSecond;
        return this;
    }

    /**
     * How fast an S3 client may read an object's body, in bytes per second of real time (0: as
     * fast as the disk): S3 serves one GetObject stream at about 100 MB/s, the local disk at ten
     * times that, so a benchmark can measure what overlapping the download with other work is worth.
     */
    public synchronized Faults s3ReadRate(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("read rate must not be negative: " + bytesPerSecond);
        }
        this.s3ReadBytesPerSecond = bytesPerSecond;
        return this;
    }

    /**
     * Result files ({@code .csv} objects) opened from now on deliver their first {@code bytes} bytes
     * and then stop until {@link #resumeS3Reads()}: a test sees a client in the middle of reading a
     * result. Other objects (metadata, a result store's files) are not affected.
     */
    public synchronized Faults pauseS3ReadsAfter(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative: " + bytes);
        }
        this.s3PauseAfterBytes = bytes;
        return this;
    }

    /** Lets every paused result read go on, and pauses no further read. */
    public synchronized void resumeS3Reads() {
        s3PauseAfterBytes = -1;
        s3PauseGeneration++;
        notifyAll();
    }

    /** The bytes after which a result read opened now pauses, or -1; with the generation that resumes it. */
    synchronized long[] s3Pause() {
        return new long[] {s3PauseAfterBytes, s3PauseGeneration};
    }

    /** Waits until reads paused in {@code generation} are resumed. */
    synchronized void awaitS3Resume(long generation) throws InterruptedException {
        while (s3PauseGeneration == generation) {
            wait();
        }
    }

    synchronized long s3ReadBytesPerSecond() {
        return s3ReadBytesPerSecond;
    }

    /** Lets every query held so far finish now (later queries are held again while a hold is on). */
    public synchronized void releaseHeld() {
        releaseGeneration++;
        releasedAt = clock.instant();
    }

    /** Switches every fault off and restores the default scan rate. */
    public synchronized void reset() {
        callRules.clear();
        denied.clear();
        lostAnswers = null;
        completionDelays.clear();
        queueDelay = Duration.ZERO;
        flapQueuedFor = Duration.ZERO;
        defaultCompletionDelay = Duration.ZERO;
        holdPattern = null;
        failPattern = null;
        holdAll = false;
        scanBytesPerSecond = DEFAULT_SCAN_BYTES_PER_SECOND;
        s3ReadBytesPerSecond = 0;
        if (s3PauseAfterBytes >= 0) {
            resumeS3Reads();
        }
    }

    /** The error to answer this call with, if a call fault picks it. */
    synchronized Optional<AthenaException> pickCallFault(String operation) {
        if (denied.contains(operation) || denied.contains("athena:" + operation)) {
            return Optional.of(AthenaException.accessDenied("athena:" + operation));
        }
        for (Map.Entry<CallFault, ShareRule> entry : callRules.entrySet()) {
            if (entry.getValue().fires(operation)) {
                return Optional.of(entry.getKey().exception());
            }
        }
        return Optional.empty();
    }

    /** Whether this call, which has run, should answer a 500 instead of its result. */
    synchronized boolean pickLostAnswer(String operation) {
        return lostAnswers != null && lostAnswers.fires(operation);
    }

    /** Whether the S3 action (e.g. {@code s3:PutObject}) is denied to clients. */
    synchronized boolean s3Denied(String action) {
        return denied.contains(action);
    }

    /** The query faults a query submitted now with this SQL gets. */
    synchronized QueryPlan planFor(String sql) {
        Duration completion = defaultCompletionDelay;
        for (DelayRule rule : completionDelays) {
            if (rule.pattern.matcher(sql).find()) {
                completion = rule.delay;
                break;
            }
        }
        boolean hold = holdAll || (holdPattern != null && holdPattern.matcher(sql).find());
        boolean fail = failPattern != null && failPattern.matcher(sql).find();
        return new QueryPlan(queueDelay, flapQueuedFor, completion, hold, scanBytesPerSecond, releaseGeneration,
                fail);
    }

    /** When held queries of this generation were released, if they were. */
    synchronized Optional<Instant> releaseTimeFor(long holdGeneration) {
        return releaseGeneration > holdGeneration ? Optional.of(releasedAt) : Optional.empty();
    }

    private Faults setCallRule(CallFault fault, double share, String... operations) {
        checkShare(share);
        if (share == 0) {
            callRules.remove(fault);
        } else {
            callRules.put(fault, new ShareRule(share, Set.of(operations)));
        }
        return this;
    }

    private static void checkShare(double share) {
        if (share < 0 || share > 1 || Double.isNaN(share)) {
            throw new IllegalArgumentException("share must be within 0..1: " + share);
        }
    }

    private static Duration nonNegative(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative: " + duration);
        }
        return duration;
    }

    /** What a query's life looks like under the faults in force when it was submitted. */
    record QueryPlan(Duration queueDelay, Duration flapQueuedFor, Duration completionDelay, boolean hold,
            long scanBytesPerSecond, long holdGeneration, boolean failAfterRun) {
        static QueryPlan none() {
            return new QueryPlan(Duration.ZERO, Duration.ZERO, Duration.ZERO, false,
                    DEFAULT_SCAN_BYTES_PER_SECOND, 0, false);
        }
    }

    private enum CallFault {
        // Checked in this order: a call picked by an earlier fault is not offered to later ones.
        INTERNAL_ERROR,
        TOO_MANY_REQUESTS,
        THROTTLING;

        AthenaException exception() {
            switch (this) {
                case INTERNAL_ERROR:
                    return AthenaException.internal();
                case TOO_MANY_REQUESTS:
                    return AthenaException.tooManyRequests();
                default:
                    return AthenaException.throttling();
            }
        }
    }

    /** Fires on a fixed share of matching calls by accumulating the share, so tests are deterministic. */
    private static final class ShareRule {
        private final double share;
        private final Set<String> operations;
        private double accumulated;

        ShareRule(double share, Set<String> operations) {
            this.share = share;
            this.operations = operations;
        }

        boolean fires(String operation) {
            if (!operations.isEmpty() && !operations.contains(operation)) {
                return false;
            }
            accumulated += share;
            if (accumulated >= 1 - 1e-9) {
                accumulated -= 1;
                return true;
            }
            return false;
        }
    }

    private record DelayRule(Pattern pattern, Duration delay) {
    }
}
