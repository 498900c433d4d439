package io.sluice.standin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed, Athena-faithful access to one operation's JSON input. A member of the wrong JSON type is
 * a {@code SerializationException} with the real service's wording; unknown members are ignored
 * and {@code null} counts as absent, as in Athena.
 */
final class JsonRequest {
    private final JsonNode node;

    private JsonRequest(JsonNode node) {
        this.node = node;
    }

    static JsonRequest parse(byte[] body) {
        JsonNode root;
        try {
            root = body.length == 0 ? null : Json.MAPPER.readTree(new String(body, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw AthenaException.serialization(null);
        }
        if (root == null || root.isNull() || root.isMissingNode()) {
            throw AthenaException.serialization(null);
        }
        if (root.isArray()) {
            throw AthenaException.serialization("Start of list found where not expected");
        }
        if (!root.isObject()) {
            throw AthenaException.serialization(null);
        }
        return new JsonRequest(root);
    }

    String string(String member) {
        JsonNode value = member(member);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw mismatch(value, "a String");
        }
        return value.textValue();
    }

    Integer integer(String member) {
        JsonNode value = member(member);
        if (value == null) {
            return null;
        }
        if (!value.isNumber()) {
            throw mismatch(value, "an Integer");
        }
        // Real Athena truncates 1.5 to 1 rather than rejecting it.
        return value.intValue();
    }

    Boolean bool(String member) {
        JsonNode value = member(member);
        if (value == null) {
            return null;
        }
        if (!value.isBoolean()) {
            throw mismatch(value, "a Boolean");
        }
        return value.booleanValue();
    }

    JsonRequest structure(String member) {
        JsonNode value = member(member);
        if (value == null) {
            return null;
        }
        if (value.isArray()) {
            throw AthenaException.serialization("Start of list found where not expected");
        }
        if (!value.isObject()) {
            throw AthenaException.serialization("Expected null");
        }
        return new JsonRequest(value);
    }

    List<String> stringList(String member) {
        JsonNode value = member(member);
        if (value == null) {
            return null;
        }
        if (value.isObject()) {
            throw AthenaException.serialization("Start of structure or map found where not expected.");
        }
        if (!value.isArray()) {
            throw AthenaException.serialization("Expected list or null");
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : value) {
            if (item.isNull()) {
                continue;
            }
            if (!item.isTextual()) {
                throw mismatch(item, "a String");
            }
            items.add(item.textValue());
        }
        return items;
    }

    private JsonNode member(String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value;
    }

    private static AthenaException mismatch(JsonNode value, String target) {
        JsonNodeType type = value.getNodeType();
        switch (type) {
            case ARRAY:
                return AthenaException.serialization("Start of list found where not expected");
            case OBJECT:
                return AthenaException.serialization("Start of structure or map found where not expected.");
            case BOOLEAN:
                return AthenaException.serialization(
                        (value.booleanValue() ? "TRUE_VALUE" : "FALSE_VALUE") + " can not be converted to " + target);
            case NUMBER:
                return AthenaException.serialization("NUMBER_VALUE can not be converted to " + target);
            default:
                return AthenaException.serialization("STRING_VALUE can not be converted to " + target);
        }
    }
}
