package io.sluice.access;

import io.javalin.security.RouteRole;

/** Who may call a route. Every route declares exactly one; a route with none is refused. */
public enum Role implements RouteRole {
    /** No identity needed: health, signed download links, the web UI's files. */
    ANYONE,
    /** An identified caller: a trusted user, or {@code anonymous} when auth is disabled. */
    USER
}
