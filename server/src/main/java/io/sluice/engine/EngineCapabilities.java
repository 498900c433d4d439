package io.sluice.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an engine can do, declared by the engine itself. The service, the routes and the web UI ask
 * these instead of an engine's name or class, so an engine of a new type works everywhere it is
 * able to.
 *
 * @param cancel             a running query can be stopped (Cancel answers and the engine stops the work)
 * @param partialDownload    a query that failed or was cancelled may still offer what it wrote so far
 *                           as a download (marked {@code partial})
 * @param catalog            its catalogs, databases, tables and columns can be browsed
 * @param cost               it prices queries: statistics carry {@code costUsd}
 * @param dialect            the SQL dialect its queries are written in, for highlighting and formatting:
 *                           {@code duckdb} or {@code trino}
 * @param scannedBytes       it reports the data a query scanned ({@code dataScannedBytes})
 * @param resultReuse        it may answer a repeated query from an earlier result (as configured)
 * @param engineDownloadLink a download is a link to the engine's own full result file, not the
 *                           stored (and possibly truncated) result
 */
public record EngineCapabilities(boolean cancel, boolean partialDownload, boolean catalog, boolean cost,
                                 String dialect, boolean scannedBytes, boolean resultReuse,
                                 boolean engineDownloadLink) {

    public EngineCapabilities {
        if (dialect == null || dialect.isBlank()) {
            throw new IllegalArgumentException("an engine names its SQL dialect");
        }
    }

    /** The capabilities as {@code /api/config} shows them. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("cancel", cancel);
        map.put("partialDownload", partialDownload);
        map.put("catalog", catalog);
        map.put("cost", cost);
        map.put("dialect", dialect);
        map.put("scannedBytes", scannedBytes);
        map.put("resultReuse", resultReuse);
        map.put("engineDownloadLink", engineDownloadLink);
        return map;
    }
}
