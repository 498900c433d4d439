package io.sluice.query;

/** The caller's history filters as they came in the request (validated by the service). */
public record HistoryRequest(String states, String engine, String text, Integer limit, String cursor) {
}
