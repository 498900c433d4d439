package io.sluice.result;

/**
 * What one page of results may cost, in bytes of its rows as JSON.
 *
 * @param maxPageBytes  the rows of a page (the JSON array, brackets and commas included) stay within
 *                      this: a page holds fewer rows than asked rather than pass it, and always at
 *                      least one row, whose values are cut further if it alone would pass it
 * @param maxValueBytes a string value longer than this (in UTF-8 bytes) is cut to a prefix of at
 *                      most this many bytes, on a character boundary, and listed as truncated
 */
public record PageBudget(int maxPageBytes, int maxValueBytes) {

    /** 4 MiB pages, values shown whole up to 64 KiB. */
    public static final PageBudget DEFAULT = new PageBudget(4 * 1024 * 1024, 64 * 1024);

    public PageBudget {
        if (maxPageBytes < 2 || maxValueBytes < 0 || maxValueBytes > maxPageBytes) {
            throw new IllegalArgumentException("page budget needs 2 <= maxPageBytes and 0 <= maxValueBytes <= "
                    + "maxPageBytes, was " + maxPageBytes + " and " + maxValueBytes);
        }
    }
}
