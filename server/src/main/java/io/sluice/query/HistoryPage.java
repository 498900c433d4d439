package io.sluice.query;

import java.util.List;

/** One page of history and the cursor of the next, or null when there is none. */
public record HistoryPage(List<QueryRecord> items, String nextCursor) {
}
