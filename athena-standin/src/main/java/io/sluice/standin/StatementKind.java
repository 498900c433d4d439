package io.sluice.standin;

/**
 * How Athena classifies a statement and which result files it writes for it.
 *
 * @param statementType Athena's {@code StatementType}: DDL, DML or UTILITY
 * @param substatementType Athena's {@code SubstatementType}, e.g. SELECT, SHOW_TABLES
 * @param result the result files the statement leaves in the output location
 * @param headerRow whether the first row GetQueryResults returns is the column names (DML)
 * @param updateType the engine's update type written into {@code .metadata}, or null
 */
record StatementKind(String statementType, String substatementType, ResultKind result, boolean headerRow,
        String updateType) {

    /** The result files of a statement, named from the output folder and the query id. */
    enum ResultKind {
        /** {@code <id>.csv} plus {@code <id>.csv.metadata}: SELECT, WITH, VALUES. */
        CSV("", ".csv", true),
        /** {@code <id>.txt} (plus {@code .txt.metadata} when it has columns): SHOW, DESCRIBE, EXPLAIN, DDL. */
        TEXT("", ".txt", true),
        /** Output location {@code <id>}, only {@code <id>.metadata}: INSERT INTO. */
        INSERT("", "", false),
        /** Output location {@code tables/<id>}, only {@code tables/<id>.metadata}: CREATE TABLE AS SELECT. */
        CTAS("tables/", "", false),
        /** Output location {@code <id>.csv}, only {@code <id>.csv.metadata}: UPDATE, DELETE, MERGE. */
        ROW_COUNT("", ".csv", false);

        final String folder;
        final String extension;
        final boolean hasBody;

        ResultKind(String folder, String extension, boolean hasBody) {
            this.folder = folder;
            this.extension = extension;
            this.hasBody = hasBody;
        }

        /** Whether GetQueryResults answers with an update count instead of rows. */
        boolean countsRows() {
            return !hasBody;
        }
    }

    static StatementKind select() {
        return new StatementKind("DML", "SELECT", ResultKind.CSV, true, null);
    }

    static StatementKind explain() {
        return new StatementKind("DML", "EXPLAIN", ResultKind.TEXT, true, null);
    }

    static StatementKind utility(String substatementType) {
        return new StatementKind("UTILITY", substatementType, ResultKind.TEXT, false, null);
    }

    static StatementKind ddl(String substatementType) {
        return new StatementKind("DDL", substatementType, ResultKind.TEXT, false, null);
    }

    static StatementKind ctas() {
        return new StatementKind("DDL", "CREATE_TABLE_AS_SELECT", ResultKind.CTAS, false, "CREATE TABLE");
    }

    static StatementKind insert() {
        return new StatementKind("DML", "INSERT", ResultKind.INSERT, false, "INSERT");
    }

    static StatementKind rowCount(String keyword) {
        return new StatementKind("DML", keyword, ResultKind.ROW_COUNT, false, keyword);
    }

    boolean isDdl() {
        return "DDL".equals(statementType);
    }

    /** Whether the statement reads table data and so is billed: only DML other than EXPLAIN. */
    boolean scansData() {
        return "DML".equals(statementType) && !"EXPLAIN".equals(substatementType)
                || result == ResultKind.CTAS;
    }
}
