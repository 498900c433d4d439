package io.sluice.engine;

import java.util.Objects;

/**
 * A result column. {@code type} is a lower-case SQL type name in Athena's spelling
 * ({@code varchar}, {@code bigint}, {@code decimal(10,2)}, {@code array(integer)}, ...).
 */
public record Column(String name, String type) {
    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }
}
