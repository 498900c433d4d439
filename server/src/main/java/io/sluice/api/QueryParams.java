package io.sluice.api;

import io.javalin.http.Context;

import java.util.Map;

/** Query-string parameters read strictly: a value that is not what the route takes answers the caller's error. */
public final class QueryParams {

    private QueryParams() {
    }

    /** The whole-number parameter {@code name}, or null when absent; anything else answers {@code onError}. */
    public static Integer integer(Context ctx, String name, MessageCode onError) {
        String text = ctx.queryParam(name);
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new ApiException(onError, Map.of("parameter", name, "value", truncate(text)));
        }
    }

    /** The whole-number parameter {@code name}, or null when absent; anything else answers INVALID_PARAMETER. */
    public static Long longInteger(Context ctx, String name) {
        String text = ctx.queryParam(name);
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new ApiException(MessageCode.INVALID_PARAMETER, Map.of("parameter", name, "value", truncate(text)));
        }
    }

    private static String truncate(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "…" : text;
    }
}
