package io.sluice.standin;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every Athena API call that names query executions, in the order received: which operation, which
 * caller (the {@code sluice-instance/<id>} part of the caller's user agent) and which query
 * execution ids (asked for, or made by StartQueryExecution). As CloudTrail would show it, so tests
 * can check who polled, started and stopped each query. Keeps the newest {@value #CAPACITY} calls.
 * Thread-safe.
 */
public final class CallLog {
    static final int CAPACITY = 1_000_000;
    private static final Pattern INSTANCE = Pattern.compile("sluice-instance/([A-Za-z0-9._-]+)");

    /**
     * One call.
     *
     * @param sequence    its place in the order the stand-in received calls
     * @param operation   e.g. {@code "BatchGetQueryExecution"}
     * @param caller      the Sluice instance id from the user agent, or {@code ""} if none was named
     * @param executionIds the query executions it named
     */
    public record Call(long sequence, String operation, String caller, List<String> executionIds) {
    }

    private final Deque<Call> calls = new ArrayDeque<>();
    private long sequence;

    CallLog() {
    }

    /** The caller named in a user agent, {@code ""} if none. */
    static String caller(String userAgent) {
        if (userAgent == null) {
            return "";
        }
        Matcher m = INSTANCE.matcher(userAgent);
        return m.find() ? m.group(1) : "";
    }

    synchronized void record(String operation, String caller, List<String> executionIds) {
        if (executionIds.isEmpty()) {
            return;
        }
        if (calls.size() == CAPACITY) {
            calls.removeFirst();
        }
        calls.addLast(new Call(++sequence, operation, caller, List.copyOf(executionIds)));
    }

    /** A copy of the kept calls, oldest first. */
    public synchronized List<Call> calls() {
        return new ArrayList<>(calls);
    }

    /**
     * Who polled one query execution (GetQueryExecution or BatchGetQueryExecution), one entry per
     * call, in the order received.
     */
    public synchronized List<String> pollersOf(String executionId) {
        List<String> pollers = new ArrayList<>();
        for (Call call : calls) {
            boolean poll = call.operation().equals("GetQueryExecution")
                    || call.operation().equals("BatchGetQueryExecution");
            if (poll && call.executionIds().contains(executionId)) {
                pollers.add(call.caller());
            }
        }
        return pollers;
    }

    public synchronized void reset() {
        calls.clear();
    }
}
