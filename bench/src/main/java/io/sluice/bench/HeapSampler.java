package io.sluice.bench;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Heap samples: used heap at a fixed interval, and used heap after each GC (heap pools only) from GC
 * notifications.
 */
final class HeapSampler implements AutoCloseable {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
    private final List<long[]> used = new ArrayList<>();      // {nanos, used, committed}
    private final List<long[]> afterGc = new ArrayList<>();   // {nanos, used after, gc duration ms}
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final NotificationListener listener = (notification, handback) -> {
        if (!notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
            return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                (CompositeData) notification.getUserData());
        long after = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                .filter(e -> heapPools.contains(e.getKey())).mapToLong(e -> e.getValue().getUsed()).sum();
        synchronized (afterGc) {
            afterGc.add(new long[] {System.nanoTime(), after, info.getGcInfo().getDuration()});
        }
    };
    private final long sampleMillis;
    private Thread thread;

    /** Samples used heap every {@code sampleMillis}. */
    HeapSampler(long sampleMillis) {
        this.sampleMillis = sampleMillis;
    }

    void start() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener(listener, null, null);
        }
        thread = new Thread(() -> {
            while (running.get()) {
                try {
                    MemoryUsage heap = memory.getHeapMemoryUsage();
                    synchronized (used) {
                        used.add(new long[] {System.nanoTime(), heap.getUsed(), heap.getCommitted()});
                    }
                    Thread.sleep(sampleMillis);
                } catch (InterruptedException e) {
                    return;
                } catch (Throwable e) {
                    // An OutOfMemoryError of the naive baseline may land here: keep sampling.
                }
            }
        }, "heap-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    /** What the heap did within [from, to] (System.nanoTime). */
    Slice slice(long from, long to) {
        long[] u;
        long maxCommitted = 0;
        synchronized (used) {
            List<long[]> in = used.stream().filter(s -> s[0] >= from && s[0] <= to).toList();
            u = in.stream().mapToLong(s -> s[1]).toArray();
            maxCommitted = in.stream().mapToLong(s -> s[2]).max().orElse(0);
        }
        List<long[]> gcs;
        synchronized (afterGc) {
            gcs = afterGc.stream().filter(s -> s[0] >= from && s[0] <= to).toList();
        }
        long[] a = gcs.stream().mapToLong(s -> s[1]).toArray();
        long gcMillis = gcs.stream().mapToLong(s -> s[2]).sum();
        // Flatness: after-GC heap in the first and the last third of the window.
        long third = (to - from) / 3;
        long[] first = gcs.stream().filter(s -> s[0] <= from + third).mapToLong(s -> s[1]).toArray();
        long[] last = gcs.stream().filter(s -> s[0] >= to - third).mapToLong(s -> s[1]).toArray();
        return new Slice(u.length, mb(rank(u, 0.99)), mb(max(u)), a.length, mb(rank(a, 0.50)), mb(rank(a, 0.99)),
                mb(max(a)), mb(rank(first, 0.50)), mb(rank(last, 0.50)), mb(maxCommitted), gcMillis);
    }

    @Override
    public void close() {
        running.set(false);
        if (thread != null) {
            thread.interrupt();
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            try {
                ((NotificationEmitter) gc).removeNotificationListener(listener);
            } catch (Exception e) {
                // not registered
            }
        }
    }

    private static double mb(long bytes) {
        return bytes < 0 ? Double.NaN : bytes / 1e6;
    }

    private static long max(long[] v) {
        return Arrays.stream(v).max().orElse(-1);
    }

    private static long rank(long[] v, double p) {
        if (v.length == 0) {
            return -1;
        }
        long[] sorted = v.clone();
        Arrays.sort(sorted);
        return sorted[Math.max(0, (int) Math.ceil(sorted.length * p) - 1)];
    }

    /** Heap figures of one window, in MB. */
    record Slice(int samples, double usedP99, double usedMax, int gcs, double afterGcP50, double afterGcP99,
                 double afterGcMax, double afterGcFirstThird, double afterGcLastThird, double committedMax,
                 long gcMillis) {
    }
}
