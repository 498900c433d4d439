package io.sluice.standin;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Athena workgroups. {@code primary} always exists and, as in a new AWS account, has no output location. */
final class WorkGroups {
    static final String PRIMARY = "primary";
    /** Athena refuses smaller per-query scan limits. */
    static final long MINIMUM_CUTOFF = 10_000_000L;

    /**
     * @param outputLocation the workgroup's result location, or null
     * @param bytesScannedCutoffPerQuery the per-query scan limit, or null for none
     * @param enforce whether the workgroup's settings override the client's
     */
    record WorkGroup(String name, String outputLocation, Long bytesScannedCutoffPerQuery, boolean enforce,
            Instant createdAt) {
    }

    private final Map<String, WorkGroup> groups = new ConcurrentHashMap<>();

    WorkGroups(Instant now) {
        define(PRIMARY, null, null, false, now);
    }

    void define(String name, String outputLocation, Long bytesScannedCutoffPerQuery, boolean enforce, Instant now) {
        if (outputLocation != null && S3Location.parse(outputLocation).isEmpty()) {
            throw new IllegalArgumentException("Not an S3 location: " + outputLocation);
        }
        if (bytesScannedCutoffPerQuery != null && bytesScannedCutoffPerQuery < MINIMUM_CUTOFF) {
            throw new IllegalArgumentException("BytesScannedCutoffPerQuery must be at least " + MINIMUM_CUTOFF);
        }
        Instant created = groups.containsKey(name) ? groups.get(name).createdAt() : now;
        groups.put(name, new WorkGroup(name, outputLocation, bytesScannedCutoffPerQuery, enforce, created));
    }

    Optional<WorkGroup> find(String name) {
        return Optional.ofNullable(groups.get(name));
    }
}
