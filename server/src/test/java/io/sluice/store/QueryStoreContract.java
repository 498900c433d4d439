package io.sluice.store;

import io.sluice.query.HistoryQuery;
import io.sluice.query.HistoryQuery.Position;
import io.sluice.query.QueryError;
import io.sluice.query.QueryRecord;
import io.sluice.query.QueryState;
import io.sluice.query.Statistics;
import io.sluice.result.ResultSummary;
import io.sluice.result.ResultTruncation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static io.sluice.query.QueryState.CANCELLED;
import static io.sluice.query.QueryState.FAILED;
import static io.sluice.query.QueryState.QUEUED;
import static io.sluice.query.QueryState.RUNNING;
import static io.sluice.query.QueryState.SUCCEEDED;
import static io.sluice.query.QueryState.TIMED_OUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link QueryStore} database must do, on a real database with the real migrations.
 * One subclass per database starts its server once per class and hands out empty databases.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class QueryStoreContract implements ResultTruncationContract, RetentionContract, DatasourceStoreContract,
        UsageStoreContract, PlanStoreContract, LocalCacheContract {

    /** Where an empty database is reached. */
    protected record Connection(String url, String user, String password) {
    }

    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05.678Z");
    private static final String ALICE = "alice@example.com";
    private static final String BOB = "bob@example.com";
    private static final int RACERS = 8;
    private static final int RACE_ROUNDS = 250;

    private final AtomicInteger freshDatabases = new AtomicInteger();
    private Database database;
    private QueryStore store;

    /** Starts the database server, once for the class. */
    protected abstract void startServer() throws Exception;

    /** Creates a new, empty database (no tables) on the server. */
    protected abstract Connection createEmptyDatabase(String name) throws Exception;

    protected abstract void stopServer() throws Exception;

    @BeforeAll
    void openStore() throws Exception {
        startServer();
        Connection c = createEmptyDatabase("sluice");
        database = Database.open(c.url(), c.user(), c.password(), RACERS + 2);
        store = new JdbcQueryStore(database.jdbi());
    }

    @AfterAll
    void closeStore() throws Exception {
        try {
            if (database != null) {
                database.close();
            }
        } finally {
            stopServer();
        }
    }

    @Override
    public QueryStore store() {
        return store;
    }

    @Override
    public Database database() {
        return database;
    }

    @Override
    public Connection emptyDatabase(String name) throws Exception {
        return createEmptyDatabase(name + freshDatabases.incrementAndGet());
    }

    @BeforeEach
    void emptyTables() {
        database.jdbi().useHandle(h -> {
            h.execute("DELETE FROM query_runs");
            h.execute("DELETE FROM queries");
            h.execute("DELETE FROM sluice_leases");
            h.execute("DELETE FROM plans");
        });
    }

    // --- insert and find

    @Test
    void everyFieldSurvivesInsertAndFind() {
        QueryRecord full = new QueryRecord("q-full", "ünïcødé@example.com", "athena",
                "SELECT 'grüße 😀 日本語' AS x FROM \"tâble\" -- ✓", "awsdatacatalog", "analytics_ü", "req-ß",
                FAILED, 3, 7, "athena-exec-123", "instance-α", T0, T0.plusSeconds(10), T0.plusSeconds(12),
                T0.plusSeconds(20),
                new Statistics(1_200L, 3_400L, 42L, 1_048_576L, 10_737_418_240L, 0.1 + 0.2, true,
                        new ResultTruncation(ResultTruncation.Reason.MAX_RESULT_BYTES, 5_000_000_000L)),
                new QueryError("SCAN_LIMIT_EXCEEDED", "zu viele Bytes — 超过",
                        Map.of("attempts", 3, "retryable", false, "ratio", 0.25, "text", "日本語 😀",
                                "nested", Map.of("path", List.of("a", "ß")))));
        store.insert(full);

        assertThat(store.find("q-full")).contains(full);
    }

    @Test
    void nullsSurviveInsertAndFind() {
        QueryRecord bare = QueryRecord.queued("q-bare", ALICE, "duckdb", "SELECT 1", null, null, null, T0);
        Statistics zeros = new Statistics(null, null, 0L, null, null, 0.0, false, null);
        QueryRecord sparse = new QueryRecord("q-sparse", ALICE, "duckdb", "SELECT 2", null, null, null, CANCELLED, 1, 0,
                null, null, T0, T0, null, T0.plusMillis(1), zeros, new QueryError("CANCELLED", null, null));
        store.insert(bare);
        store.insert(sparse);

        assertThat(store.find("q-bare")).contains(bare);
        assertThat(store.find("q-bare").orElseThrow().statistics()).isEqualTo(Statistics.EMPTY);
        assertThat(store.find("q-sparse")).contains(sparse);
    }

    @Test
    void aQueryTextOf256KiBIsStoredWhole() {
        StringBuilder text = new StringBuilder("-- grüße 😀 日本語\nSELECT '");
        int bytes = text.toString().getBytes(StandardCharsets.UTF_8).length;
        while (bytes < 262_144 - 2) {
            boolean wide = text.length() % 97 == 0;
            text.append(wide ? 'é' : 'x');
            bytes += wide ? 2 : 1;
        }
        while (bytes < 262_144) {
            text.append('\'');
            bytes++;
        }
        String sql = text.toString();
        assertThat(sql.getBytes(StandardCharsets.UTF_8)).hasSize(262_144);
        store.insert(QueryRecord.queued("q-big", ALICE, "duckdb", sql, null, null, null, T0));

        assertThat(store.find("q-big").orElseThrow().queryText()).isEqualTo(sql);
        assertThat(history(q -> q, "日本語")).extracting(QueryRecord::id).containsExactly("q-big");
    }

    @Test
    void anUnknownIdIsNotFound() {
        assertThat(store.find("nope")).isEmpty();
    }

    @Test
    void anExistingIdCannotBeInsertedAgain() {
        store.insert(queued("q-1", ALICE, T0));

        assertThatThrownBy(() -> store.insert(queued("q-1", BOB, T0.plusSeconds(1))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.find("q-1").orElseThrow().owner()).isEqualTo(ALICE);
    }

    @Test
    void timestampsAreKeptToTheMillisecond() {
        Instant precise = Instant.parse("2026-01-02T03:04:05.678912345Z");
        QueryRecord q = QueryRecord.queued("q-t", ALICE, "duckdb", "SELECT 1", null, null, null, precise);
        store.insert(q);
        QueryRecord stored = store.find("q-t").orElseThrow();
        assertThat(stored.createdAt()).isEqualTo(Instant.parse("2026-01-02T03:04:05.678Z"));

        QueryRecord updated = store.update(stored, stored.withStarted(precise.plusNanos(1_500_000), "i1")).orElseThrow();
        assertThat(updated.startedAt()).isEqualTo(Instant.parse("2026-01-02T03:04:05.680Z"));
        assertThat(store.find("q-t")).contains(updated);
    }

    // --- update: compare-and-set

    @Test
    void aSuccessfulUpdateWritesEveryMutableFieldAndIncrementsTheVersion() {
        QueryRecord queued = queued("q-1", ALICE, T0);
        store.insert(queued);

        QueryRecord running = store.update(queued,
                queued.withStarted(T0.plusSeconds(1), "instance-1").withEngineQueryId("exec-1")).orElseThrow();
        assertThat(running.version()).isEqualTo(1);
        assertThat(running.state()).isEqualTo(RUNNING);
        assertThat(store.find("q-1")).contains(running);

        Statistics stats = new Statistics(1_000L, 2_000L, 5L, 640L, 1_000_000L, 0.000005, false,
                new ResultTruncation(ResultTruncation.Reason.MAX_RESULT_ROWS, 5));
        QueryError error = new QueryError("ENGINE_ERROR", "boom", Map.of("line", 1));
        QueryRecord failed = store.update(running, running.withEnd(FAILED, T0.plusSeconds(3), stats, error)).orElseThrow();
        assertThat(failed.version()).isEqualTo(2);
        assertThat(failed).isEqualTo(withVersion(running.withEnd(FAILED, T0.plusSeconds(3), stats, error), 2));
        assertThat(store.find("q-1")).contains(failed);
    }

    @Test
    void anUpdateFromAStaleVersionFailsAndWritesNothing() {
        QueryRecord queued = queued("q-1", ALICE, T0);
        store.insert(queued);
        QueryRecord claimed = store.update(queued, queued.withClaim("instance-1")).orElseThrow();

        assertThat(store.update(queued, queued.withStarted(T0.plusSeconds(1), "instance-2"))).isEmpty();
        assertThat(store.find("q-1")).contains(claimed);
    }

    @Test
    void anUpdateFromAStaleStateFailsAndWritesNothing() {
        QueryRecord queued = queued("q-1", ALICE, T0);
        store.insert(queued);
        QueryRecord thoughtRunning = queued.withStarted(T0.plusSeconds(1), "instance-1");

        assertThat(store.update(thoughtRunning, thoughtRunning.withEnd(SUCCEEDED, T0.plusSeconds(2), Statistics.EMPTY, null)))
                .isEmpty();
        assertThat(store.find("q-1")).contains(queued);
    }

    @Test
    void anUnknownIdUpdatesNothing() {
        QueryRecord ghost = queued("ghost", ALICE, T0);
        assertThat(store.update(ghost, ghost.withClaim("i1"))).isEmpty();
        assertThat(store.find("ghost")).isEmpty();
    }

    @Test
    void theSameStateMayBeRewrittenEvenWhenTerminal() {
        QueryRecord done = queued("q-1", ALICE, T0).withEnd(SUCCEEDED, T0.plusSeconds(2), Statistics.EMPTY, null);
        store.insert(done);

        QueryRecord withResult = store.update(done, done.withStatistics(Statistics.EMPTY.withResult(result(10, 100)))).orElseThrow();
        assertThat(withResult.statistics().rows()).isEqualTo(10L);
        assertThat(store.find("q-1")).contains(withResult);
    }

    @Test
    void runningMayFallBackToQueued() {
        QueryRecord running = queued("q-1", ALICE, T0).withStarted(T0.plusSeconds(1), "i1");
        store.insert(running);

        assertThat(store.update(running, running.withState(QUEUED))).map(QueryRecord::state).contains(QUEUED);
    }

    /** Which state changes are legal is the lifecycle's (LifecycleTest); the store guards identity and run numbers. */
    @Test
    void illegalChangesAreRefusedBeforeAnythingIsWritten() {
        QueryRecord done = queued("q-done", ALICE, T0).withEnd(SUCCEEDED, T0.plusSeconds(2), Statistics.EMPTY, null);
        QueryRecord running = queued("q-run", ALICE, T0).withStarted(T0.plusSeconds(1), "i1");
        store.insert(done);
        store.insert(running);

        List<QueryRecord[]> illegal = List.of(
                new QueryRecord[] {done, done.nextRun(T0.plusSeconds(5)).nextRun(T0.plusSeconds(5))},
                new QueryRecord[] {running, copy(running, "q-other", running.owner(), running.engine(), running.queryText(),
                        running.createdAt(), running.requestId())},
                new QueryRecord[] {running, copy(running, running.id(), BOB, running.engine(), running.queryText(),
                        running.createdAt(), running.requestId())},
                new QueryRecord[] {running, copy(running, running.id(), running.owner(), "athena", running.queryText(),
                        running.createdAt(), running.requestId())},
                new QueryRecord[] {running, copy(running, running.id(), running.owner(), running.engine(), "SELECT 2",
                        running.createdAt(), running.requestId())},
                new QueryRecord[] {running, copy(running, running.id(), running.owner(), running.engine(),
                        running.queryText(), T0.plusSeconds(1), running.requestId())},
                new QueryRecord[] {running, copy(running, running.id(), running.owner(), running.engine(),
                        running.queryText(), running.createdAt(), "req-9")});

        for (QueryRecord[] change : illegal) {
            assertThatThrownBy(() -> store.update(change[0], change[1]))
                    .as("%s -> %s", change[0], change[1])
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(store.find("q-done")).contains(done);
        assertThat(store.find("q-run")).contains(running);
    }

    @Test
    void aRefreshStartsTheNextRunOfATerminalQuery() {
        QueryRecord failed = queued("q-1", ALICE, T0).withStarted(T0.plusSeconds(1), "i1").withEngineQueryId("exec-1")
                .withEnd(FAILED, T0.plusSeconds(2), new Statistics(1L, 2L, null, null, 3L, 0.1, false,
                        new ResultTruncation(ResultTruncation.Reason.MAX_RESULT_ROWS, 1)),
                        new QueryError("ENGINE_ERROR", "boom", Map.of()));
        store.insert(failed);

        QueryRecord refreshed = store.update(failed, failed.nextRun(T0.plusSeconds(60))).orElseThrow();

        assertThat(refreshed.state()).isEqualTo(QUEUED);
        assertThat(refreshed.run()).isEqualTo(2);
        assertThat(refreshed.version()).isEqualTo(1);
        assertThat(refreshed.submittedAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(refreshed.createdAt()).isEqualTo(T0);
        assertThat(refreshed.error()).isNull();
        assertThat(refreshed.engineQueryId()).isNull();
        assertThat(refreshed.startedAt()).isNull();
        assertThat(refreshed.completedAt()).isNull();
        assertThat(refreshed.statistics()).isEqualTo(Statistics.EMPTY);
        assertThat(store.find("q-1")).contains(refreshed);
        // the refreshed run goes on as any other
        assertThat(store.update(refreshed, refreshed.withStarted(T0.plusSeconds(61), "i2"))).isPresent();
    }

    @Test
    void racingUpdatesFromTheSameRecordHaveExactlyOneWinner() throws Exception {
        store.insert(queued("q-race", ALICE, T0));
        ExecutorService racers = Executors.newFixedThreadPool(RACERS);
        try {
            for (int round = 0; round < RACE_ROUNDS; round++) {
                QueryRecord current = store.find("q-race").orElseThrow();
                if (current.state().isTerminal()) {
                    current = store.update(current, current.nextRun(T0.plusSeconds(round))).orElseThrow();
                }
                List<QueryRecord> contenders = new ArrayList<>();
                for (int i = 0; i < RACERS; i++) {
                    contenders.add(contender(current, round, i).withClaim("racer-" + round + "-" + i));
                }
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Optional<QueryRecord>>> results = new ArrayList<>();
                QueryRecord expected = current;
                for (QueryRecord next : contenders) {
                    results.add(racers.submit(() -> {
                        start.await();
                        return store.update(expected, next);
                    }));
                }
                start.countDown();
                List<QueryRecord> winners = new ArrayList<>();
                for (Future<Optional<QueryRecord>> result : results) {
                    result.get(30, TimeUnit.SECONDS).ifPresent(winners::add);
                }

                assertThat(winners).as("round %d", round).hasSize(1);
                assertThat(winners.get(0).version()).isEqualTo(expected.version() + 1);
                assertThat(store.find("q-race")).as("round %d", round).contains(winners.get(0));
            }
        } finally {
            racers.shutdownNow();
        }
    }

    /** A legal next record from {@code current}, varied so racers want different things. */
    private static QueryRecord contender(QueryRecord current, int round, int racer) {
        Instant at = T0.plusSeconds(round).plusMillis(racer);
        if (current.state() == QUEUED) {
            return racer % 2 == 0 ? current.withStarted(at, "i" + racer)
                    : current.withEnd(CANCELLED, at, Statistics.EMPTY, null);
        }
        return switch (racer % 4) {
            case 0 -> current.withEnd(SUCCEEDED, at, Statistics.EMPTY.withResult(result(racer, racer * 10L)), null);
            case 1 -> current.withEnd(FAILED, at, Statistics.EMPTY, new QueryError("ENGINE_ERROR", "r" + racer, Map.of()));
            case 2 -> current.withState(QUEUED);
            default -> current.withStatistics(Statistics.EMPTY.withTimes((long) racer, null));
        };
    }

    // --- history

    @Test
    void historyIsNewestFirstWithTiesBrokenByIdDescending() {
        store.insert(queued("q-a", ALICE, T0));
        store.insert(queued("q-c", ALICE, T0.plusSeconds(1)));
        store.insert(queued("q-b", ALICE, T0.plusSeconds(1)));
        store.insert(queued("q-d", ALICE, T0.minusSeconds(1)));

        assertThat(history(q -> q, null)).extracting(QueryRecord::id).containsExactly("q-c", "q-b", "q-a", "q-d");
    }

    @Test
    void historyShowsOnlyTheOwnersQueries() {
        store.insert(queued("q-a1", ALICE, T0));
        store.insert(queued("q-b1", BOB, T0.plusSeconds(1)));
        store.insert(queued("q-a2", ALICE, T0.plusSeconds(2)));

        assertThat(history(q -> q, null)).extracting(QueryRecord::id).containsExactly("q-a2", "q-a1");
        assertThat(store.history(new HistoryQuery(BOB, Set.of(), null, null, null, 10)))
                .extracting(QueryRecord::id).containsExactly("q-b1");
        assertThat(store.history(new HistoryQuery("ALICE@example.com", Set.of(), null, null, null, 10))).isEmpty();
    }

    @Test
    void historyFiltersByStatesAndEngine() {
        store.insert(queued("q-1", ALICE, T0));
        store.insert(queued("q-2", ALICE, T0.plusSeconds(1)).withStarted(T0.plusSeconds(2), "i1"));
        store.insert(queued("q-3", ALICE, T0.plusSeconds(2)).withEnd(SUCCEEDED, T0.plusSeconds(3), Statistics.EMPTY, null));
        store.insert(withEngine(queued("q-4", ALICE, T0.plusSeconds(3)), "athena")
                .withEnd(FAILED, T0.plusSeconds(4), Statistics.EMPTY, new QueryError("X", "x", Map.of())));
        store.insert(withEngine(queued("q-5", ALICE, T0.plusSeconds(4)), "athena"));

        assertThat(historyIds(new HistoryQuery(ALICE, EnumSet.of(QUEUED, RUNNING), null, null, null, 10)))
                .containsExactly("q-5", "q-2", "q-1");
        assertThat(historyIds(new HistoryQuery(ALICE, EnumSet.of(SUCCEEDED, FAILED, CANCELLED, TIMED_OUT), null, null, null, 10)))
                .containsExactly("q-4", "q-3");
        assertThat(historyIds(new HistoryQuery(ALICE, null, "athena", null, null, 10))).containsExactly("q-5", "q-4");
        assertThat(historyIds(new HistoryQuery(ALICE, Set.of(QUEUED), "duckdb", null, null, 10))).containsExactly("q-1");
        assertThat(historyIds(new HistoryQuery(ALICE, Set.of(TIMED_OUT), null, null, null, 10))).isEmpty();
        assertThat(historyIds(new HistoryQuery(ALICE, Set.of(), "trino", null, null, 10))).isEmpty();
    }

    @Test
    void historyTextSearchIsACaseInsensitiveLiteralSubstring() {
        store.insert(withText(queued("q-pct", ALICE, T0), "SELECT * FROM t WHERE share LIKE '50%'"));
        store.insert(withText(queued("q-50x", ALICE, T0.plusSeconds(1)), "SELECT 50 AS fifty_x FROM t"));
        store.insert(withText(queued("q-und", ALICE, T0.plusSeconds(2)), "SELECT user_id FROM Users"));
        store.insert(withText(queued("q-ux", ALICE, T0.plusSeconds(3)), "SELECT userXid FROM t"));
        store.insert(withText(queued("q-bang", ALICE, T0.plusSeconds(4)), "SELECT 'wow!' AS a\\b"));
        store.insert(withText(queued("q-de", ALICE, T0.plusSeconds(5)), "SELECT * FROM ÄPFEL WHERE ort = 'Köln' -- Привет 😀"));
        store.insert(withText(queued("q-plain", ALICE, T0.plusSeconds(6)), "SELECT * FROM apfel"));
        store.insert(withText(queued("q-bob", BOB, T0.plusSeconds(7)), "SELECT user_id FROM users"));

        assertThat(history(q -> q, "50%")).extracting(QueryRecord::id).containsExactly("q-pct");
        assertThat(history(q -> q, "%")).extracting(QueryRecord::id).containsExactly("q-pct");
        assertThat(history(q -> q, "user_id")).extracting(QueryRecord::id).containsExactly("q-und");
        assertThat(history(q -> q, "_")).extracting(QueryRecord::id).containsExactly("q-und", "q-50x");
        assertThat(history(q -> q, "USER")).extracting(QueryRecord::id).containsExactly("q-ux", "q-und");
        assertThat(history(q -> q, "wow!")).extracting(QueryRecord::id).containsExactly("q-bang");
        assertThat(history(q -> q, "a\\b")).extracting(QueryRecord::id).containsExactly("q-bang");
        assertThat(history(q -> q, "äpfel")).extracting(QueryRecord::id).containsExactly("q-de");
        assertThat(history(q -> q, "KÖLN")).extracting(QueryRecord::id).containsExactly("q-de");
        assertThat(history(q -> q, "пРИВЕт 😀")).extracting(QueryRecord::id).containsExactly("q-de");
        assertThat(history(q -> q, "APFEL")).extracting(QueryRecord::id).containsExactly("q-plain");
        assertThat(history(q -> q, "nowhere")).isEmpty();
    }

    @Test
    void historyPagesByKeysetAcrossEqualCreationTimes() {
        List<QueryRecord> all = new ArrayList<>();
        String[] ids = {"q-07", "q-03", "q-11", "q-01", "q-09", "q-05", "q-02", "q-10", "q-04", "q-08", "q-06"};
        for (int i = 0; i < ids.length; i++) {
            // three creation times only: most neighbours tie on createdAt
            QueryRecord q = queued(ids[i], ALICE, T0.plusSeconds(i % 3));
            all.add(q);
            store.insert(q);
        }
        store.insert(queued("q-99", BOB, T0.plusSeconds(1)));
        List<String> expected = all.stream()
                .sorted(Comparator.comparing(QueryRecord::createdAt).thenComparing(QueryRecord::id).reversed())
                .map(QueryRecord::id).toList();

        List<String> seen = new ArrayList<>();
        Position after = null;
        int pages = 0;
        while (true) {
            List<QueryRecord> page = store.history(new HistoryQuery(ALICE, Set.of(), null, null, after, 4));
            pages++;
            assertThat(page.size()).isLessThanOrEqualTo(5);
            boolean more = page.size() > 4;
            List<QueryRecord> shown = more ? page.subList(0, 4) : page;
            shown.forEach(q -> seen.add(q.id()));
            if (!more) {
                break;
            }
            QueryRecord last = shown.get(shown.size() - 1);
            after = new Position(last.createdAt(), last.id());
        }

        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void historyCombinesPagingWithFilters() {
        for (int i = 0; i < 6; i++) {
            QueryRecord q = withText(queued("q-" + i, ALICE, T0), i % 2 == 0 ? "SELECT even" : "SELECT odd");
            store.insert(i < 4 ? q : q.withEnd(SUCCEEDED, T0, Statistics.EMPTY, null));
        }
        List<QueryRecord> first = store.history(new HistoryQuery(ALICE, Set.of(QUEUED), null, "EVEN", null, 1));
        assertThat(first).extracting(QueryRecord::id).containsExactly("q-2", "q-0");
        List<QueryRecord> second = store.history(new HistoryQuery(ALICE, Set.of(QUEUED), null, "EVEN",
                new Position(T0, "q-2"), 1));
        assertThat(second).extracting(QueryRecord::id).containsExactly("q-0");
    }

    // --- findByRequestId, findByStates

    @Test
    void findByRequestIdReturnsTheOwnersNewest() {
        // A request id may be used again once its query ended.
        store.insert(withRequest(queued("q-old", ALICE, T0), "req-1").withEnd(SUCCEEDED, T0.plusSeconds(1),
                Statistics.EMPTY, null));
        store.insert(withRequest(queued("q-new", ALICE, T0.plusSeconds(5)), "req-1"));
        store.insert(withRequest(queued("q-other", ALICE, T0.plusSeconds(9)), "req-2"));
        store.insert(withRequest(queued("q-bob", BOB, T0.plusSeconds(9)), "req-1"));
        store.insert(queued("q-none", ALICE, T0.plusSeconds(10)));

        assertThat(store.findByRequestId(ALICE, "req-1")).map(QueryRecord::id).contains("q-new");
        assertThat(store.findByRequestId(BOB, "req-1")).map(QueryRecord::id).contains("q-bob");
        assertThat(store.findByRequestId(BOB, "req-2")).isEmpty();
        assertThat(store.findByRequestId(ALICE, "req-3")).isEmpty();
    }

    @Test
    void aRequestIdNamesOneActiveQueryOfItsOwnerAtATime() {
        store.insert(withRequest(queued("q-a", ALICE, T0), "req-9"));
        assertThatThrownBy(() -> store.insert(withRequest(queued("q-b", ALICE, T0.plusSeconds(1)), "req-9")))
                .isInstanceOf(RequestIdInUseException.class);
        assertThat(store.find("q-b")).isEmpty();
        // Another owner, or no request id at all, is no clash.
        store.insert(withRequest(queued("q-c", BOB, T0.plusSeconds(2)), "req-9"));
        store.insert(queued("q-d", ALICE, T0.plusSeconds(3)));
        store.insert(queued("q-e", ALICE, T0.plusSeconds(4)));
        // Once the first ends, the id is free again; a new run of the ended one must not take it back.
        QueryRecord a = store.find("q-a").orElseThrow();
        QueryRecord ended = store.update(a, a.withEnd(CANCELLED, T0.plusSeconds(5), Statistics.EMPTY, null)).orElseThrow();
        store.insert(withRequest(queued("q-f", ALICE, T0.plusSeconds(6)), "req-9"));
        assertThatThrownBy(() -> store.update(ended, ended.nextRun(T0.plusSeconds(7))))
                .isInstanceOf(RequestIdInUseException.class);
        assertThat(store.find("q-a").orElseThrow().state()).isEqualTo(CANCELLED);
    }

    @Test
    void perOwnerCountsAndRequestedStopsAreFound() {
        store.insert(queued("q-1", ALICE, T0));
        store.insert(queued("q-2", ALICE, T0.plusSeconds(1)));
        store.insert(queued("q-3", BOB, T0.plusSeconds(2)));
        QueryRecord athena = withEngine(queued("q-4", ALICE, T0.plusSeconds(3)), "athena")
                .withStarted(T0.plusSeconds(4), "i1").withEngineQueryId("exec-4");
        store.insert(athena);
        assertThat(store.count(ALICE, QueryState.QUEUED, 100)).isEqualTo(2);
        assertThat(store.count(ALICE, QueryState.QUEUED, 1)).as("counted no further than asked").isEqualTo(1);
        assertThat(store.count(BOB, QueryState.QUEUED, 100)).isEqualTo(1);
        assertThat(store.count(ALICE, QueryState.RUNNING, 100)).isEqualTo(1);
        assertThat(store.findStopsRequested(List.of("athena"), 10)).isEmpty();
        QueryRecord cancelled = store.update(athena, athena.withEnd(CANCELLED, T0.plusSeconds(5), Statistics.EMPTY, null)
                .withStopRequested(true)).orElseThrow();
        assertThat(store.findStopsRequested(List.of("athena"), 10)).extracting(QueryRecord::id).containsExactly("q-4");
        assertThat(store.findStopsRequested(List.of("duckdb"), 10)).isEmpty();
        assertThat(store.find("q-4").orElseThrow().stopRequested()).isTrue();
        // The engine confirmed: final statistics, and the stop is done (a same-state change of a terminal run).
        store.update(cancelled, cancelled.withStatistics(Statistics.EMPTY.withScan(123L, 0.1, false))
                .withStopRequested(false)).orElseThrow();
        assertThat(store.findStopsRequested(List.of("athena"), 10)).isEmpty();
        assertThat(store.find("q-4").orElseThrow().statistics().scannedBytes()).isEqualTo(123L);
    }

    @Test
    void findByStatesReturnsTheOldestFirstForTheEngines() {
        store.insert(withEngine(queued("q-1", ALICE, T0.plusSeconds(3)), "athena"));
        store.insert(withEngine(queued("q-2", BOB, T0.plusSeconds(1)), "athena").withStarted(T0.plusSeconds(4), "i1"));
        store.insert(withEngine(queued("q-3", ALICE, T0.plusSeconds(2)), "athena")
                .withEnd(SUCCEEDED, T0.plusSeconds(5), Statistics.EMPTY, null));
        store.insert(queued("q-4", ALICE, T0));
        store.insert(withEngine(queued("q-5", ALICE, T0.plusSeconds(1)), "trino"));
        store.insert(withEngine(queued("q-6", ALICE, T0.plusSeconds(1)), "athena"));

        assertThat(store.findByStates(QueryState.ACTIVE, List.of("athena"), 10)).extracting(QueryRecord::id)
                .containsExactly("q-2", "q-6", "q-1");
        assertThat(store.findByStates(QueryState.ACTIVE, List.of("athena", "trino"), 2)).extracting(QueryRecord::id)
                .containsExactly("q-2", "q-5");
        assertThat(store.findByStates(Set.of(RUNNING), null, 10)).extracting(QueryRecord::id).containsExactly("q-2");
        assertThat(store.findByStates(QueryState.ACTIVE, null, 10)).extracting(QueryRecord::id)
                .containsExactly("q-4", "q-2", "q-5", "q-6", "q-1");
        assertThat(store.findByStates(Set.of(SUCCEEDED), List.of("duckdb"), 10)).isEmpty();
        assertThat(store.findByStates(QueryState.ACTIVE, List.of(), 10)).isEmpty();
        assertThat(store.findByStates(Set.of(), List.of("athena"), 10)).isEmpty();
    }

    // --- migrations

    @Test
    void migratingAnEmptyDatabaseCreatesTheSchemaAndMigratingAgainDoesNothing() throws Exception {
        Connection c = createEmptyDatabase("fresh" + freshDatabases.incrementAndGet());
        try (Database fresh = Database.open(c.url(), c.user(), c.password(), 2)) {
            assertThat(fresh.migrationsAppliedAtOpen()).isPositive();
            assertThat(fresh.dialect()).isEqualTo(database.dialect());
            QueryStore freshStore = new JdbcQueryStore(fresh.jdbi());
            assertThat(freshStore.history(new HistoryQuery(ALICE, Set.of(), null, null, null, 10))).isEmpty();
            freshStore.insert(queued("q-1", ALICE, T0));
        }
        try (Database again = Database.open(c.url(), c.user(), c.password(), 2)) {
            assertThat(again.migrationsAppliedAtOpen()).isZero();
            assertThat(new JdbcQueryStore(again.jdbi()).find("q-1")).isPresent();
        }
    }

    @Test
    void migratingAPopulatedDatabaseAgainIsANoOp() {
        QueryRecord q = queued("q-1", ALICE, T0).withEnd(TIMED_OUT, T0.plusSeconds(1), Statistics.EMPTY,
                new QueryError("QUERY_TIMED_OUT", "too slow", Map.of("limitSeconds", 86_400)));
        store.insert(q);

        assertThat(database.migrate()).isZero();
        assertThat(store.find("q-1")).contains(q);
    }

    /**
     * A store filled by the previous schema (before runs existed) is migrated without losing a
     * field: each query's run as stored becomes its run record, and active runs get their phase.
     */
    @Test
    void theRunsMigrationKeepsEveryFieldOfAStoreFilledByThePreviousSchema() throws Exception {
        Connection c = emptyDatabase("previous");
        StoreDialect dialect = StoreDialect.fromUrl(c.url());
        org.flywaydb.core.Flyway.configure()
                .dataSource(dialect.driverUrl(c.url()), c.user(), c.password())
                .locations("classpath:db/migration").placeholders(dialect.placeholders())
                .target("3").load().migrate();
        String insert = """
                INSERT INTO queries (id, owner, engine, query_text, query_text_lower, catalog_name, database_name,
                    request_id, state, run, version, engine_query_id, claimed_by, created_at, submitted_at, started_at,
                    completed_at, queue_millis, execution_millis, result_rows, result_bytes, scanned_bytes, cost_usd,
                    result_reused, error_code, error_message, error_details, active_request_id, stop_requested,
                    truncation_reason, truncation_limit)
                VALUES (?, 'alice@example.com', ?, 'SELECT 1', 'select 1', 'AwsDataCatalog', 'analytics', ?, ?, ?, 7,
                    ?, 'old-instance', 1000, 2000, ?, ?, 10, 20, 30, 40, 50, 0.25, ?, ?, ?, ?, ?, ?, ?, ?)""";
        Object[][] rows = {
                {"m-done", "athena", null, "SUCCEEDED", 3, "exec-1", 3000L, 4000L, true, null, null, null, null, false,
                        "MAX_RESULT_ROWS", 10L},
                {"m-failed", "duckdb", "req-1", "FAILED", 1, null, 3000L, 4000L, null, "ENGINE_ERROR", "boom",
                        "{\"line\":3}", null, false, null, null},
                {"m-stopping", "athena", null, "CANCELLED", 2, "exec-2", 3000L, 4000L, false, null, null, null, null,
                        true, null, null},
                {"m-running", "athena", "req-2", "RUNNING", 1, "exec-3", 3000L, null, null, null, null, null, "req-2",
                        false, null, null},
                {"m-engine-queued", "athena", null, "QUEUED", 1, "exec-4", 3000L, null, null, null, null, null, null,
                        false, null, null},
                {"m-waiting", "duckdb", null, "QUEUED", 1, null, null, null, null, null, null, null, null, false, null,
                        null}};
        try (java.sql.Connection jdbc = java.sql.DriverManager.getConnection(dialect.driverUrl(c.url()), c.user(),
                c.password()); java.sql.PreparedStatement ps = jdbc.prepareStatement(insert)) {
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    ps.setObject(i + 1, row[i]);
                }
                ps.executeUpdate();
            }
        }

        try (Database migrated = Database.open(c.url(), c.user(), c.password(), 2)) {
            assertThat(migrated.migrationsAppliedAtOpen()).isPositive();
            JdbcQueryStore after = new JdbcQueryStore(migrated.jdbi());
            Map<String, io.sluice.query.RunStatus> phases = Map.of(
                    "m-running", io.sluice.query.RunStatus.EXECUTING,
                    "m-engine-queued", io.sluice.query.RunStatus.ENGINE_QUEUED,
                    "m-waiting", io.sluice.query.RunStatus.WAITING);
            for (Object[] row : rows) {
                String id = (String) row[0];
                QueryRecord latest = after.find(id).orElseThrow();
                assertThat(after.findRun(id, latest.run())).as(id).contains(latest);
                assertThat(after.runs(id, latest.run(), 10)).as("no earlier runs are invented").isEmpty();
                assertThat(latest.run()).isEqualTo(row[4]);
                assertThat(latest.version()).isEqualTo(7);
                assertThat(latest.engineQueryId()).isEqualTo(row[5]);
                assertThat(latest.claimedBy()).isEqualTo("old-instance");
                assertThat(latest.statistics().scannedBytes()).isEqualTo(50L);
                assertThat(latest.statistics().costUsd()).isEqualTo(0.25);
                assertThat(latest.stopRequested()).isEqualTo(row[13]);
                assertThat(latest.phase()).isEqualTo(phases.get(id));
            }
            QueryRecord done = after.find("m-done").orElseThrow();
            assertThat(done.statistics().truncation().limit()).isEqualTo(10L);
            assertThat(done.completedAt()).isEqualTo(Instant.ofEpochMilli(4000));
            QueryRecord failed = after.find("m-failed").orElseThrow();
            assertThat(failed.error().code()).isEqualTo("ENGINE_ERROR");
            assertThat(failed.error().details()).containsEntry("line", 3);
            assertThat(after.findStopsRequested(List.of("athena"), 10)).extracting(QueryRecord::id)
                    .containsExactly("m-stopping");
            assertThat(after.findOwners()).containsExactly("old-instance");
        }
    }

    // --- helpers

    private List<QueryRecord> history(UnaryOperator<HistoryQuery> tweak, String text) {
        return store.history(tweak.apply(new HistoryQuery(ALICE, Set.of(), null, text, null, 50)));
    }

    private List<String> historyIds(HistoryQuery query) {
        return store.history(query).stream().map(QueryRecord::id).toList();
    }

    private static ResultSummary result(long rows, long bytes) {
        return new ResultSummary(List.of(), rows, bytes, null);
    }

    private static QueryRecord queued(String id, String owner, Instant createdAt) {
        return QueryRecord.queued(id, owner, "duckdb", "SELECT 1", "memory", "main", null, createdAt);
    }

    private static QueryRecord withEngine(QueryRecord q, String engine) {
        return copy(q, q.id(), q.owner(), engine, q.queryText(), q.createdAt(), q.requestId());
    }

    private static QueryRecord withText(QueryRecord q, String text) {
        return copy(q, q.id(), q.owner(), q.engine(), text, q.createdAt(), q.requestId());
    }

    private static QueryRecord withRequest(QueryRecord q, String requestId) {
        return copy(q, q.id(), q.owner(), q.engine(), q.queryText(), q.createdAt(), requestId);
    }

    private static QueryRecord withVersion(QueryRecord q, long version) {
        return new QueryRecord(q.id(), q.owner(), q.engine(), q.queryText(), q.catalog(), q.database(), q.requestId(),
                q.state(), q.run(), version, q.engineQueryId(), q.claimedBy(), q.createdAt(), q.submittedAt(),
                q.startedAt(), q.completedAt(), q.statistics(), q.error());
    }

    /** {@code q} with its immutable fields replaced. */
    private static QueryRecord copy(QueryRecord q, String id, String owner, String engine, String text,
                                    Instant createdAt, String requestId) {
        return new QueryRecord(id, owner, engine, text, q.catalog(), q.database(), requestId, q.state(), q.run(),
                q.version(), q.engineQueryId(), q.claimedBy(), createdAt, q.submittedAt(), q.startedAt(),
                q.completedAt(), q.statistics(), q.error());
    }
}
