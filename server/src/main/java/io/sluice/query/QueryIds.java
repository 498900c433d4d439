package io.sluice.query;

import java.util.UUID;
import java.util.regex.Pattern;

/** Query ids: random (unguessable) lower-case UUIDs; anything else in an id position is unknown. */
public final class QueryIds {

    private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

    private QueryIds() {
    }

    /** A new id from a cryptographically strong source (122 random bits). */
    public static String next() {
        return UUID.randomUUID().toString();
    }

    public static boolean isWellFormed(String id) {
        return id != null && id.length() == 36 && FORMAT.matcher(id).matches();
    }
}
