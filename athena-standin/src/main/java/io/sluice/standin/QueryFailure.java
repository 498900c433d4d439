package io.sluice.standin;

/**
 * Why a query FAILED, in Athena's terms: {@code StateChangeReason} and
 * {@code AthenaError{ErrorCategory, ErrorType, Retryable, ErrorMessage}}.
 */
final class QueryFailure extends Exception {
    private static final long serialVersionUID = 1L;

    /** ErrorCategory 1: the service failed. */
    static final int SYSTEM = 1;
    /** ErrorCategory 2: the query or its inputs are at fault. */
    static final int USER = 2;

    final int category;
    final int errorType;

    QueryFailure(int category, int errorType, String reason) {
        super(reason, null, false, false);
        this.category = category;
        this.errorType = errorType;
    }

    /** A user error of Athena's generic type (1100: invalid query or input). */
    static QueryFailure user(String reason) {
        return new QueryFailure(USER, 1100, reason);
    }

    /** A missing database, table or column (Athena's type 1006). */
    static QueryFailure notFound(String reason) {
        return new QueryFailure(USER, 1006, reason);
    }

    String reason() {
        return getMessage();
    }
}
