package io.sluice.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * A JSON object request body, read strictly: malformed JSON, a non-object, unknown fields and
 * fields of the wrong type are the caller's errors, answered in the standard envelope.
 */
public final class RequestBody {

    private final ObjectNode node;

    private RequestBody(ObjectNode node) {
        this.node = node;
    }

    /** Parses the body; an empty body reads as {@code {}}. Only {@code allowed} fields may appear. */
    public static RequestBody parse(Context ctx, ObjectMapper mapper, Set<String> allowed) {
        String contentType = ctx.contentType();
        if (contentType != null && !contentType.isBlank()
                && !contentType.toLowerCase(java.util.Locale.ROOT).contains("json")
                && !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("text/plain")) {
            throw new ApiException(MessageCode.UNSUPPORTED_MEDIA_TYPE,
                    Map.of("contentType", contentType, "expected", "application/json"));
        }
        byte[] bytes = ctx.bodyAsBytes();
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
        return new RequestBody((ObjectNode) node);
    }

    /** A string field, or null when absent or JSON null. */
    public String string(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new ApiException(MessageCode.INVALID_FIELD, Map.of("field", field, "reason", "must be a string"));
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
            throw new ApiException(MessageCode.INVALID_FIELD, Map.of("field", field, "reason", "must be a whole number"));
        }
        return value.asInt();
    }
}
