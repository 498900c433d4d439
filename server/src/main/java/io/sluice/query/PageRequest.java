package io.sluice.query;

import java.util.List;

/**
 * Which rows of a result: a page size and either a cursor from the previous page or an offset.
 * Both position fields may be null (the first page). {@code sort} and {@code filters} choose a view
 * of the result (see {@link io.sluice.result.ResultView}); null and empty for the result as stored.
 */
public record PageRequest(Integer limit, String cursor, Long offset, String sort, List<String> filters) {

    public PageRequest {
        filters = filters == null ? List.of() : List.copyOf(filters);
    }

    /** A page of the result as stored. */
    public PageRequest(Integer limit, String cursor, Long offset) {
        this(limit, cursor, offset, null, List.of());
    }
}
