package io.sluice.result;

/**
 * A stored result cannot do what was asked (sort, filter, aggregate, or download as Parquet or JSON
 * lines): it is kept in the row format of earlier versions and was not converted.
 */
public final class ResultOperationUnsupported extends UnsupportedOperationException {
    public ResultOperationUnsupported(String operation) {
        super(operation + " needs a result stored in the Parquet format");
    }
}
