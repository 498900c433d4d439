package io.sluice.query;

/**
 * Which rows of a result: a page size and either a cursor from the previous page or an offset.
 * Both position fields may be null (the first page).
 */
public record PageRequest(Integer limit, String cursor, Long offset) {
}
