package io.sluice.query;

import java.time.Instant;
import java.util.Set;

/**
 * A page request over one owner's history, newest first.
 *
 * @param owner   whose queries
 * @param states  only these states; empty means all
 * @param engine  only this engine, or null
 * @param text    case-insensitive substring of the SQL, or null
 * @param after   the position after which to continue (from the previous page), or null
 * @param limit   page size
 */
public record HistoryQuery(String owner, Set<QueryState> states, String engine, String text, Position after, int limit) {

    /** A position in the history order: (createdAt desc, id desc). */
    public record Position(Instant createdAt, String id) {
    }
}
