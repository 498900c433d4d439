package io.sluice.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A view of one JSON object in the configuration file that reads typed values with defaults,
 * substitutes {@code ${ENV_VAR}} (or {@code ${ENV_VAR:-default}}) in strings, and collects every
 * problem instead of stopping at the first, so start-up can list them all. Keys that nobody read
 * are reported as unknown (a typo in a key is a problem, not a silent default).
 */
final class ConfigNode {

    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private final JsonNode node;
    private final String path;
    private final Map<String, String> env;
    private final List<String> problems;
    private final Set<String> read = new HashSet<>();
    private final List<ConfigNode> children = new ArrayList<>();

    ConfigNode(JsonNode node, String path, Map<String, String> env, List<String> problems) {
        this.node = node == null ? MissingNode.getInstance() : node;
        this.path = path;
        this.env = env;
        this.problems = problems;
        if (!this.node.isMissingNode() && !this.node.isNull() && !this.node.isObject()) {
            problems.add(where("") + " must be an object");
        }
    }

    /** The nested object at {@code key}; missing objects read as empty (all defaults). */
    ConfigNode object(String key) {
        ConfigNode child = new ConfigNode(raw(key), qualified(key), env, problems);
        children.add(child);
        return child;
    }

    /** The keys of this object, in file order, without marking them read. */
    List<String> keys() {
        List<String> keys = new ArrayList<>();
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(keys::add);
        }
        return keys;
    }

    boolean has(String key) {
        JsonNode value = node.path(key);
        return !value.isMissingNode() && !value.isNull();
    }

    String string(String key, String fallback) {
        JsonNode value = raw(key);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.isTextual()) {
            problems.add(where(key) + " must be a string");
            return fallback;
        }
        return substitute(key, value.asText());
    }

    /** A string that must be present and not blank. */
    String requiredString(String key) {
        String value = string(key, null);
        if (value == null || value.isBlank()) {
            if (value == null && !has(key)) {
                problems.add(where(key) + " is required");
            } else {
                problems.add(where(key) + " must not be empty");
            }
        }
        return value;
    }

    String oneOf(String key, String fallback, Set<String> allowed) {
        String value = string(key, fallback);
        if (value != null && !allowed.contains(value)) {
            problems.add(where(key) + " must be one of " + allowed + ", got \"" + value + "\"");
            return fallback;
        }
        return value;
    }

    int integer(String key, int fallback, int min, int max) {
        long value = number(key, fallback, min, max);
        return (int) value;
    }

    long number(String key, long fallback, long min, long max) {
        JsonNode value = raw(key);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        long parsed;
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            parsed = value.asLong();
        } else if (value.isTextual()) {
            String text = substitute(key, value.asText()).trim();
            try {
                parsed = Long.parseLong(text);
            } catch (NumberFormatException e) {
                problems.add(where(key) + " must be a whole number, got \"" + text + "\"");
                return fallback;
            }
        } else {
            problems.add(where(key) + " must be a whole number");
            return fallback;
        }
        if (parsed < min || parsed > max) {
            problems.add(where(key) + " must be between " + min + " and " + max + ", got " + parsed);
            return fallback;
        }
        return parsed;
    }

    /** A number (whole or decimal) within {@code [min, max]}, or {@code fallback} (may be null) when absent. */
    Double decimal(String key, Double fallback, double min, double max) {
        JsonNode value = raw(key);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        double parsed;
        if (value.isNumber()) {
            parsed = value.asDouble();
        } else if (value.isTextual()) {
            String text = substitute(key, value.asText()).trim();
            try {
                parsed = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                problems.add(where(key) + " must be a number, got \"" + text + "\"");
                return fallback;
            }
        } else {
            problems.add(where(key) + " must be a number");
            return fallback;
        }
        if (!(parsed >= min && parsed <= max)) {
            problems.add(where(key) + " must be between " + min + " and " + max + ", got " + parsed);
            return fallback;
        }
        return parsed;
    }

    boolean bool(String key, boolean fallback) {
        JsonNode value = raw(key);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isTextual()) {
            String text = substitute(key, value.asText()).trim();
            if (text.equals("true") || text.equals("false")) {
                return Boolean.parseBoolean(text);
            }
        }
        problems.add(where(key) + " must be true or false");
        return fallback;
    }

    Duration seconds(String key, Duration fallback, long minSeconds, long maxSeconds) {
        long value = number(key, fallback.toSeconds(), minSeconds, maxSeconds);
        return Duration.ofSeconds(value);
    }

    Duration millis(String key, Duration fallback, long minMillis, long maxMillis) {
        long value = number(key, fallback.toMillis(), minMillis, maxMillis);
        return Duration.ofMillis(value);
    }

    List<String> strings(String key, List<String> fallback) {
        JsonNode value = raw(key);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.isArray()) {
            problems.add(where(key) + " must be a list of strings");
            return fallback;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (!item.isTextual()) {
                problems.add(where(key) + "[" + i + "] must be a string");
            } else {
                out.add(substitute(key + "[" + i + "]", item.asText()));
            }
        }
        return List.copyOf(out);
    }

    /** The objects of the list at {@code key}, each read like a nested object; missing reads as empty. */
    List<ConfigNode> objects(String key) {
        JsonNode value = raw(key);
        if (value.isMissingNode() || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            problems.add(where(key) + " must be a list of objects");
            return List.of();
        }
        List<ConfigNode> out = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            ConfigNode child = new ConfigNode(value.get(i), qualified(key) + "[" + i + "]", env, problems);
            children.add(child);
            out.add(child);
        }
        return out;
    }

    /** Reads {@code key} with {@code parse}; a parse failure becomes a problem naming the key. */
    <T> T parsed(String key, T fallback, Function<String, T> parse, String expectation) {
        String text = string(key, null);
        if (text == null) {
            return fallback;
        }
        try {
            return parse.apply(text.trim());
        } catch (RuntimeException e) {
            problems.add(where(key) + " must be " + expectation + ", got \"" + text + "\"");
            return fallback;
        }
    }

    /** Marks every key of this object read: for a section no reader understands, whose keys are not judged one by one. */
    void readAll() {
        read.addAll(keys());
    }

    void problem(String key, String what) {
        problems.add(where(key) + " " + what);
    }

    /** Reports keys of this object and its children that no one read. */
    void reportUnknownKeys() {
        if (node.isObject()) {
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!read.contains(name)) {
                    problems.add(where(name) + " is not a known setting");
                }
            }
        }
        children.forEach(ConfigNode::reportUnknownKeys);
    }

    private JsonNode raw(String key) {
        read.add(key);
        return node.isObject() ? node.path(key) : MissingNode.getInstance();
    }

    private String substitute(String key, String text) {
        Matcher m = ENV_REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.get(m.group(1));
            if (value == null) {
                value = m.group(2);
            }
            if (value == null) {
                problems.add(where(key) + " uses environment variable " + m.group(1) + ", which is not set");
                value = "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String qualified(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private String where(String key) {
        return key.isEmpty() ? (path.isEmpty() ? "the configuration" : path) : qualified(key);
    }
}
