package io.sluice.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.eclipse.jetty.http.HttpException;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * A JSON object request body, read strictly: malformed JSON, a non-object, unknown fields, fields
 * of the wrong type and strings holding U+0000 are the caller's errors, answered in the standard
 * envelope before anything is stored.
 */
public final class RequestBody {

    private final ObjectNode node;
    /** Where this object is in the body ({@code "params."}), for the field names of errors. */
    private final String prefix;

    private RequestBody(ObjectNode node) {
        this(node, "");
    }

    private RequestBody(ObjectNode node, String prefix) {
        this.node = node;
        this.prefix = prefix;
    }

    /** Parses the body; an empty body reads as {@code {}}. Only {@code allowed} fields may appear. */
    public static RequestBody parse(Context ctx, ObjectMapper mapper, Set<String> allowed) {
        // The header as sent: the servlet's parsed content type fails on an unknown charset name, and
        // Jackson finds the encoding from the bytes anyway.
        String contentType = ctx.header("Content-Type");
        if (contentType != null && !contentType.isBlank()
                && !contentType.toLowerCase(java.util.Locale.ROOT).contains("json")
                && !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("text/plain")) {
            throw new ApiException(MessageCode.UNSUPPORTED_MEDIA_TYPE,
                    Map.of("contentType", contentType, "expected", "application/json"));
        }
        byte[] bytes = read(ctx);
        if (bytes.length == 0) {
            return new RequestBody(mapper.createObjectNode());
        }
        JsonNode node;
        try {
            node = mapper.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new ApiException(MessageCode.INVALID_JSON, Map.of("reason", e.getOriginalMessage(),
                    "line", e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                    "column", e.getLocation() == null ? 0 : e.getLocation().getColumnNr()));
        } catch (java.io.IOException e) {
            throw new ApiException(MessageCode.INVALID_JSON, Map.of("reason", "unreadable body"));
        }
        if (node == null || node.isMissingNode()) {
            return new RequestBody(mapper.createObjectNode());
        }
        if (!node.isObject()) {
            throw new ApiException(MessageCode.INVALID_JSON, Map.of("reason", "the body must be a JSON object"));
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new ApiException(MessageCode.INVALID_FIELD, Map.of("field", name, "reason", "unknown field",
                        "allowed", allowed.stream().sorted().toList()));
            }
        }
        node.properties().forEach(field -> refuseNul(field.getKey(), field.getValue()));
        return new RequestBody((ObjectNode) node);
    }

    /**
     * The body's bytes, up to the server's limit (413 past it). A body that stops arriving answers
     * 408, one that ends before its declared length or is badly framed 400: the client's failures,
     * not the server's.
     */
    private static byte[] read(Context ctx) {
        try {
            return ctx.bodyAsBytes();
        } catch (HttpResponseException e) {
            throw e;
        } catch (Exception e) { // Jetty's IOExceptions, undeclared through Javalin's Kotlin
            if (e instanceof RuntimeException runtime && !(e instanceof HttpException)) {
                throw runtime; // a bug, not a client's failure
            }
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof TimeoutException) {
                    throw new ApiException(MessageCode.REQUEST_TIMEOUT, Map.of("reason", "the body stopped arriving"));
                }
                if (t instanceof HttpException http) {
                    throw ApiException.fromHttpStatus(http.getCode(),
                            Map.of("reason", String.valueOf(http.getReason())));
                }
            }
            throw new ApiException(MessageCode.MALFORMED_REQUEST,
                    Map.of("reason", "the body ended before its declared length"));
        }
    }

    /**
     * Refuses U+0000 in any string: engines and drivers treat it as the end of the text, so a query
     * would run only up to it while the whole text is stored and shown.
     */
    private static void refuseNul(String field, JsonNode value) {
        if (value.isTextual() && value.textValue().indexOf('\0') >= 0) {
            throw new ApiException(MessageCode.INVALID_FIELD,
                    Map.of("field", field, "reason", "must not contain the NUL character (U+0000)"));
        }
        if (value.isContainerNode()) {
            value.forEach(element -> refuseNul(field, element));
        }
    }

    /** A string field, or null when absent or JSON null. */
    public String string(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new ApiException(MessageCode.INVALID_FIELD, Map.of("field", prefix + field, "reason", "must be a string"));
        }
        return value.asText();
    }

    /** A whole-number field, or null when absent or JSON null. */
    public Integer integer(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new ApiException(MessageCode.INVALID_FIELD, Map.of("field", prefix + field, "reason", "must be a whole number"));
        }
        return value.asInt();
    }

    /** A number field (whole or decimal), or null when absent or JSON null. */
    public Double number(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw new ApiException(MessageCode.INVALID_FIELD, Map.of("field", prefix + field, "reason", "must be a number"));
        }
        return value.asDouble();
    }

    /** A true/false field, or null when absent or JSON null. */
    public Boolean bool(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw new ApiException(MessageCode.INVALID_FIELD, Map.of("field", prefix + field, "reason", "must be true or false"));
        }
        return value.booleanValue();
    }

    /** Whether the field is present (JSON null counts as present). */
    public boolean has(String field) {
        return node.has(field);
    }

    /**
     * A JSON object field, read as strictly as the body (only {@code allowed} fields), or null when
     * absent or JSON null.
     */
    public RequestBody object(String field, Set<String> allowed) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw new ApiException(MessageCode.INVALID_FIELD, Map.of("field", prefix + field, "reason", "must be an object"));
        }
        Iterator<String> names = value.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new ApiException(MessageCode.INVALID_FIELD, Map.of("field", prefix + field + "." + name,
                        "reason", "unknown field", "allowed", allowed.stream().sorted().toList()));
            }
        }
        return new RequestBody((ObjectNode) value, prefix + field + ".");
    }

    /**
     * A JSON array of objects, each read as strictly as the body (only {@code allowed} fields), or
     * null when absent or JSON null.
     */
    public java.util.List<RequestBody> objects(String field, Set<String> allowed) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw new ApiException(MessageCode.INVALID_FIELD, Map.of("field", prefix + field, "reason", "must be an array"));
        }
        java.util.List<RequestBody> items = new java.util.ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            String at = prefix + field + "[" + i + "]";
            if (!item.isObject()) {
                throw new ApiException(MessageCode.INVALID_FIELD, Map.of("field", at, "reason", "must be an object"));
            }
            Iterator<String> names = item.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!allowed.contains(name)) {
                    throw new ApiException(MessageCode.INVALID_FIELD, Map.of("field", at + "." + name,
                            "reason", "unknown field", "allowed", allowed.stream().sorted().toList()));
                }
            }
            items.add(new RequestBody((ObjectNode) item, at + "."));
        }
        return items;
    }

    /** A JSON object field as plain values (maps, lists, strings, numbers), or null when absent or JSON null. */
    public Map<String, Object> map(String field, ObjectMapper mapper) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw new ApiException(MessageCode.INVALID_FIELD, Map.of("field", prefix + field, "reason", "must be an object"));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = mapper.convertValue(value, Map.class);
        return map;
    }
}
