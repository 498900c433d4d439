package io.sluice.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** What every benchmark prints: latency statistics of a sample, and markdown tables of them. */
final class Report {

    private Report() {
    }

    /** Latency statistics of one sample, in milliseconds (nearest-rank percentiles). */
    record Stats(int n, double p50, double p99, double mean, double max) {

        static Stats ofNanos(long[] nanos) {
            if (nanos.length == 0) {
                throw new IllegalArgumentException("no samples");
            }
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            double sum = 0;
            for (long v : sorted) {
                sum += v;
            }
            return new Stats(sorted.length, rank(sorted, 0.50) / 1e6, rank(sorted, 0.99) / 1e6,
                    sum / sorted.length / 1e6, sorted[sorted.length - 1] / 1e6);
        }

        static Stats ofNanos(List<Long> nanos) {
            return ofNanos(nanos.stream().mapToLong(Long::longValue).toArray());
        }

        private static long rank(long[] sorted, double p) {
            return sorted[Math.max(0, (int) Math.ceil(sorted.length * p) - 1)];
        }
    }

    /** A markdown table, printed once complete; columns of numbers are right-aligned. */
    static final class Table {

        private static final Pattern NUMBER = Pattern.compile("[-+]?[0-9][0-9,]*(\\.[0-9]+)?(×| ms)?|–");

        private final List<String> header;
        private final List<List<String>> rows = new ArrayList<>();

        Table(String... header) {
            this.header = List.of(header);
        }

        Table row(Object... cells) {
            if (cells.length != header.size()) {
                throw new IllegalArgumentException("expected " + header.size() + " cells, got " + cells.length);
            }
            rows.add(Arrays.stream(cells).map(Report::cell).toList());
            return this;
        }

        void print() {
            line("| " + String.join(" | ", header) + " |");
            StringBuilder rule = new StringBuilder("|");
            for (int i = 0; i < header.size(); i++) {
                int column = i;
                boolean numeric = !rows.isEmpty() && rows.stream().allMatch(r -> NUMBER.matcher(r.get(column)).matches());
                rule.append(numeric ? "---:|" : "---|");
            }
            line(rule.toString());
            rows.forEach(r -> line("| " + String.join(" | ", r) + " |"));
            line("");
        }
    }

    static String ms(double millis) {
        if (Double.isNaN(millis)) {
            return "–";
        }
        return millis >= 100 ? String.format(Locale.ROOT, "%,.0f", millis)
                : millis >= 10 ? String.format(Locale.ROOT, "%.1f", millis)
                : String.format(Locale.ROOT, "%.2f", millis);
    }

    static String verdict(boolean met) {
        return met ? "met" : "**missed**";
    }

    static void line(String text) {
        System.out.println(text);
        System.out.flush();
    }

    /** The heading every benchmark starts with: what ran, and on what. */
    static void heading(String title, String what) {
        line("## " + title);
        line("");
        line(what);
        line("");
        line(String.format(Locale.ROOT, "JVM %s (%s), max heap %d MB, %d cores; load average at start %s.",
                System.getProperty("java.version"), System.getProperty("java.vm.name"),
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors(), loadAverage()));
        line("");
    }

    /** The 1-minute load average: on a shared machine, other work inflates every number here. */
    static String loadAverage() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f", load);
    }

    private static String cell(Object value) {
        if (value instanceof Double d) {
            return ms(d);
        }
        if (value instanceof Long || value instanceof Integer) {
            return String.format(Locale.ROOT, "%,d", ((Number) value).longValue());
        }
        return String.valueOf(value);
    }
}
