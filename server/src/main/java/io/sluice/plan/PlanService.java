package io.sluice.plan;

import io.sluice.access.Caller;
import io.sluice.api.ApiException;
import io.sluice.api.MessageCode;
import io.sluice.datasource.DatasourceException;
import io.sluice.datasource.DatasourceService;
import io.sluice.datasource.DatasourceType;
import io.sluice.datasource.UsableDatasource;
import io.sluice.engine.Engine;
import io.sluice.engine.Engines;
import io.sluice.engine.athena.AthenaEngine;
import io.sluice.query.QueryIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The plans' rules. A plan is checked whole before it is stored (see {@link PlanRequests}; besides,
 * every Athena engine it names is one, and every datasource it names is one the caller may use, a
 * PostgreSQL one where values are bound), answered once stored, and queued on this instance. A user
 * sees only their own plans; another user's plan does not exist for them.
 */
final class PlanService {

    private static final Logger LOG = LoggerFactory.getLogger(PlanService.class);
    static final int DEFAULT_LIST = 50;
    static final int MAX_LIST = 200;

    private final PlanStore store;
    private final PlanWorkers workers;
    private final Engines engines;
    private final Optional<DatasourceService> datasources;
    private final Clock clock;
    private final String instanceId;

    PlanService(PlanStore store, PlanWorkers workers, Engines engines, Optional<DatasourceService> datasources,
                Clock clock, String instanceId) {
        this.store = store;
        this.workers = workers;
        this.engines = engines;
        this.datasources = datasources;
        this.clock = clock;
        this.instanceId = instanceId;
    }

    Plan submit(Caller caller, PlanSpec checked) {
        List<PlanStep> steps = new ArrayList<>();
        for (int i = 0; i < checked.steps().size(); i++) {
            steps.add(resolve(caller, checked.steps().get(i), "steps[" + i + "]"));
        }
        PlanSpec spec = new PlanSpec(checked.name(), steps);
        Plan plan = new Plan(QueryIds.next(), caller.identity(), spec, PlanState.QUEUED,
                steps.stream().map(StepStatus::queued).toList(), null, instanceId,
                clock.instant().truncatedTo(ChronoUnit.MILLIS), null, null, 0);
        store.insert(plan);
        workers.enqueue(plan.id());
        LOG.info("plan {} of {} submitted with {} steps", plan.id(), caller.identity(), steps.size());
        return plan;
    }

    /** The step with its Athena engine named (the first one when it names none), its datasource checked. */
    private PlanStep resolve(Caller caller, PlanStep step, String at) {
        switch (step.type()) {
            case ATHENA_QUERY, S3_PARQUET_READ -> {
                String engine = athena(step.engine(), at + ".engine").name();
                return new PlanStep(step.id(), step.type(), step.sql(), engine, step.maxScanGb(), step.datasource(),
                        step.bind(), step.bucket(), step.key(), step.dependsOn());
            }
            case RELATIONAL_QUERY -> {
                DatasourceService service = datasources.orElseThrow(() ->
                        PlanRequests.invalid(at + ".datasource", "DATASOURCE_NOT_FOUND", step.datasource()));
                UsableDatasource usable;
                try {
                    usable = service.forUse(caller, step.datasource());
                } catch (DatasourceException e) {
                    throw PlanRequests.invalid(at + ".datasource", "DATASOURCE_NOT_FOUND", step.datasource());
                }
                if (!step.bind().isEmpty() && usable.datasource().type() != DatasourceType.POSTGRESQL) {
                    throw PlanRequests.invalid(at + ".bind", "BIND_NEEDS_POSTGRESQL", step.datasource());
                }
                return step;
            }
            default -> {
                return step;
            }
        }
    }

    /** The Athena engine {@code name} (null: the first configured one). */
    AthenaEngine athena(String name, String at) {
        if (name == null) {
            return engines.all().stream().filter(AthenaEngine.class::isInstance).map(AthenaEngine.class::cast)
                    .findFirst().orElseThrow(() -> PlanRequests.invalid(at, "NO_ATHENA_ENGINE", ""));
        }
        Engine engine = engines.find(name).orElse(null);
        if (engine instanceof AthenaEngine athena) {
            return athena;
        }
        throw PlanRequests.invalid(at, "ENGINE_NOT_ATHENA", name);
    }

    Plan get(Caller caller, String id) {
        Optional<Plan> plan = QueryIds.isWellFormed(id) ? store.find(caller.identity(), id) : Optional.empty();
        return plan.orElseThrow(() -> new ApiException(MessageCode.PLAN_NOT_FOUND,
                Map.of("planId", QueryIds.isWellFormed(id) ? id : "(malformed)")));
    }

    List<Plan> list(Caller caller, Integer limit) {
        int size = limit == null ? DEFAULT_LIST : limit;
        if (size < 1 || size > MAX_LIST) {
            throw new ApiException(MessageCode.INVALID_LIMIT, Map.of("min", 1, "max", MAX_LIST));
        }
        return store.list(caller.identity(), size);
    }

    /**
     * Cancels the caller's plan: it ends CANCELLED in the store at once (a compare-and-set), and
     * its runner, here or on the instance running it, stops every running step.
     */
    Plan cancel(Caller caller, String id) {
        for (int attempt = 0; attempt < 10; attempt++) {
            Plan plan = get(caller, id);
            if (plan.state().isTerminal()) {
                throw new ApiException(MessageCode.PLAN_ALREADY_FINISHED, Map.of("planId", id, "state", plan.state().name()));
            }
            Plan ended = plan.ended(PlanState.CANCELLED, new PlanError(MessageCode.PLAN_CANCELLED, Map.of()),
                    clock.instant());
            // Steps still running keep their state: their runner records how they ended.
            ended = new Plan(ended.id(), ended.owner(), ended.spec(), ended.state(),
                    plan.state() == PlanState.QUEUED ? ended.steps() : plan.steps(), ended.error(), ended.instanceId(),
                    ended.createdAt(), ended.startedAt(), ended.finishedAt(), plan.version() + 1);
            if (store.update(ended)) {
                workers.interrupt(id);
                LOG.info("plan {} of {} cancelled", id, caller.identity());
                return ended;
            }
        }
        throw new ApiException(MessageCode.SERVICE_UNAVAILABLE, Map.of("reason", "the plan kept changing"));
    }

    /** Interrupts the plans running here that another instance ended (cancelled). */
    void stopPlansEndedElsewhere() {
        for (String id : workers.local()) {
            try {
                store.find(id).filter(p -> p.state().isTerminal()).ifPresent(p -> workers.interrupt(id));
            } catch (RuntimeException e) {
                return; // the store is unavailable: the next round looks again
            }
        }
    }
}
