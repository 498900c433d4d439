package io.sluice.plan;

import io.sluice.api.MessageCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Plans left unfinished by this instance's previous process (stored before {@code boot}), or by an
 * instance that is dead, end FAILED with {@code SERVER_RESTARTED}: their database and running steps
 * died with the process, and a plan is not resumed half-way (its Athena steps' queries are settled
 * by the query recovery like any other). The user submits it again.
 */
public final class PlanRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(PlanRecovery.class);

    private final PlanStore store;
    private final String instanceId;
    private final Clock clock;

    public PlanRecovery(PlanStore store, String instanceId, Clock clock) {
        this.store = store;
        this.instanceId = instanceId;
        this.clock = clock;
    }

    public void recover(Instant boot, Predicate<String> dead) {
        int failed = 0;
        for (Plan p : store.unfinished()) {
            boolean previous = instanceId.equals(p.instanceId()) && p.createdAt().isBefore(boot)
                    && (p.startedAt() == null || p.startedAt().isBefore(boot));
            boolean orphan = p.instanceId() != null && !instanceId.equals(p.instanceId()) && dead.test(p.instanceId());
            if (!previous && !orphan) {
                continue;
            }
            Plan ended = p.ended(PlanState.FAILED, new PlanError(MessageCode.SERVER_RESTARTED, Map.of()), clock.instant());
            if (store.update(new Plan(ended.id(), ended.owner(), ended.spec(), ended.state(), ended.steps(),
                    ended.error(), ended.instanceId(), ended.createdAt(), ended.startedAt(), ended.finishedAt(),
                    p.version() + 1))) {
                failed++;
            }
        }
        if (failed > 0) {
            LOG.info("plan recovery: {} interrupted plan(s) failed with SERVER_RESTARTED", failed);
        }
    }
}
