package io.sluice.access;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The users listed in {@code auth.admins}: they may share datasources with every user, and edit or
 * remove shared ones. Nobody else is an admin (with auth disabled, only if {@code anonymous} is listed).
 */
public final class Admins {

    private final Set<String> identities;

    public Admins(List<String> identities) {
        this.identities = identities.stream().map(i -> i.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    public boolean contains(Caller caller) {
        return identities.contains(caller.identity());
    }
}
