package io.sluice.testing;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client side of a crash test: four clients submit (and cancel every third of their queries)
 * as fast as they can while the server process is killed; what was acknowledged is remembered and
 * checked after each restart.
 */
public final class CrashLoad {

    private final IntFunction<String> sql;
    private final Random random;
    private final Set<String> submitted = ConcurrentHashMap.newKeySet();
    private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
    private final AtomicInteger sequence = new AtomicInteger();

    /**
     * @param sql    the SQL of the n-th query
     * @param seed   for the moment of the kill inside the load
     */
    public CrashLoad(IntFunction<String> sql, long seed) {
        this.sql = sql;
        this.random = new Random(seed);
    }

    /** Ids of submits answered 202. */
    public Set<String> submitted() {
        return submitted;
    }

    /** Ids of cancels answered 200 (the query was CANCELLED then). */
    public Set<String> cancelled() {
        return cancelled;
    }

    /**
     * Loads {@code sluice} until {@code more} further submits are acknowledged, then kills it at a
     * random moment while the clients go on.
     */
    public void loadAndKill(SluiceProcess sluice, int more) {
        int target = submitted.size() + more;
        ApiClient api = sluice.api();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        for (int c = 0; c < 4; c++) {
            clients.execute(() -> {
                while (!stop.get()) {
                    try {
                        int n = sequence.incrementAndGet();
                        ApiClient.Response r = api.post("/api/query", Map.of("query", sql.apply(n)));
                        if (r.status() != 202) {
                            continue;
                        }
                        String id = r.data().path("id").asText();
                        submitted.add(id);
                        if (n % 3 == 0 && api.post("/api/query/" + id + "/cancel").status() == 200) {
                            cancelled.add(id);
                        }
                    } catch (UncheckedIOException | IllegalStateException e) {
                        return; // the server is gone
                    }
                }
            });
        }
        try {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(5)).until(() -> submitted.size() >= target);
            Thread.sleep(random.nextInt(50)); // a random moment inside the load, not a wait for anything
            sluice.kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stop.set(true);
            clients.shutdown();
            try {
                clients.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Every acknowledged submit exists; every acknowledged cancel is CANCELLED. */
    public void verifyNothingAcknowledgedIsLost(ApiClient api) {
        List<String> lost = new ArrayList<>();
        List<String> uncancelled = new ArrayList<>();
        for (String id : submitted) {
            ApiClient.Response status = api.get("/api/query/" + id + "/status");
            if (status.status() == 404) {
                lost.add(id);
            } else if (cancelled.contains(id) && !"CANCELLED".equals(status.data().path("state").asText())) {
                uncancelled.add(id + " " + status.data().path("state").asText());
            }
        }
        assertThat(lost).as("acknowledged submits lost by the crash").isEmpty();
        assertThat(uncancelled).as("acknowledged cancels lost by the crash").isEmpty();
    }

    /** Waits until every acknowledged query has ended. */
    public void awaitAllEnded(ApiClient api) {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            for (String id : submitted) {
                assertThat(api.state(id)).as("query %s", id).isIn("SUCCEEDED", "FAILED", "CANCELLED");
            }
        });
    }
}
