package io.sluice.access;

import java.util.Objects;

/** Who is calling: the identity every query, result and history row belongs to. */
public record Caller(String identity) {

    public static final Caller ANONYMOUS = new Caller("anonymous");

    public Caller {
        Objects.requireNonNull(identity, "identity");
    }
}
