package io.sluice.result;

/** What a stored value is, as {@link ResultReader#writeValue} finds it. */
public enum ValueKind {
    /** SQL NULL: nothing is written. */
    NULL,
    /** A string: its text is written in UTF-8. */
    STRING,
    /** A number: its JSON text is written, e.g. {@code 42} or {@code 1.5}. */
    NUMBER,
    /** A boolean: {@code true} or {@code false} is written. */
    BOOLEAN
}
