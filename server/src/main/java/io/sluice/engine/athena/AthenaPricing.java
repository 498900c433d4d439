package io.sluice.engine.athena;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Athena's price (configured in {@code athena-pricing.json}): USD per TB scanned in the region,
 * billed per MB rounded up with a 10 MB minimum per query. DDL statements, failed queries and
 * reused results are free; cancelled queries pay for what they scanned. TB and MB are binary
 * (2^40 and 2^20 bytes), as AWS bills data.
 */
public final class AthenaPricing {

    static final long MB = 1024L * 1024;
    static final double TB = 1024d * 1024 * 1024 * 1024;
    static final long MINIMUM_BYTES = 10 * MB;

    private final double usdPerTb;

    public AthenaPricing(double usdPerTb) {
        if (!(usdPerTb >= 0) || Double.isInfinite(usdPerTb)) {
            throw new IllegalArgumentException("price must be a non-negative number");
        }
        this.usdPerTb = usdPerTb;
    }

    /** Reads the price of {@code region} from the pricing file (or its default price). */
    public static AthenaPricing load(Path file, String region, ObjectMapper json) throws IOException {
        JsonNode root = json.readTree(file.toFile());
        JsonNode price = root.path("regions").path(region);
        if (!price.isNumber()) {
            price = root.path("defaultUsdPerTb");
        }
        if (!price.isNumber()) {
            throw new IOException(file + " has no price for region " + region + " and no defaultUsdPerTb");
        }
        return new AthenaPricing(price.asDouble());
    }

    public double usdPerTb() {
        return usdPerTb;
    }

    /**
     * The cost of one query.
     *
     * @param scannedBytes  data scanned (null = unknown, treated as 0)
     * @param statementType Athena's statement type (DDL is free)
     * @param failed        the query failed (free)
     * @param reused        Athena served an earlier result (nothing scanned, free)
     * @param cancelled     the query was cancelled (pays what it scanned; nothing if nothing)
     */
    public double cost(Long scannedBytes, String statementType, boolean failed, boolean reused, boolean cancelled) {
        long scanned = scannedBytes == null ? 0 : Math.max(0, scannedBytes);
        if (failed || reused || "DDL".equals(statementType) || (cancelled && scanned == 0)) {
            return 0d;
        }
        long billedMb = (scanned + MB - 1) / MB;
        long billed = Math.max(billedMb * MB, MINIMUM_BYTES);
        return billed / TB * usdPerTb;
    }
}
