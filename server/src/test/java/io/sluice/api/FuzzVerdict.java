package io.sluice.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.Set;

/**
 * What the fuzz test demands of every answer: never a 5xx; no body for HEAD; otherwise the
 * envelope — {@code success} false with {@code error.code} equal to {@code messageCode}, or
 * {@code success} true with {@code data} — as {@code application/json}. The only other bodies are a
 * successful file download, the metrics (Prometheus text) and the web UI's own files.
 */
final class FuzzVerdict {

    private static final Set<String> UI_FILES = Set.of("/", "/index.html", "/favicon.svg");

    private FuzzVerdict() {
    }

    /** What is wrong with an answer to {@code c}, or null. */
    static String of(FuzzCase c, int status, String contentType, byte[] body, ObjectMapper mapper) {
        if (status >= 500) {
            return "status " + status + " " + excerpt(body);
        }
        boolean json = contentType != null && contentType.startsWith("application/json");
        if (c.raw() == null && c.isHead()) {
            if (body.length > 0) {
                return "HEAD answered with a body";
            }
            return status >= 400 && !json ? "HEAD error " + status + " as " + contentType : null;
        }
        if (c.raw() == null && status == 200 && !json
                && (c.path().startsWith("/api/files/") || UI_FILES.contains(c.path()) || c.path().startsWith("/assets/")
                || c.path().startsWith("/metrics"))) {
            return null;
        }
        if (!json) {
            return "status " + status + " as " + contentType + ": " + excerpt(body);
        }
        JsonNode envelope;
        try {
            envelope = mapper.readTree(body);
        } catch (IOException e) {
            return "status " + status + ", not JSON: " + excerpt(body);
        }
        if (envelope == null || !envelope.isObject() || !envelope.path("success").isBoolean()
                || !envelope.path("messageCode").isTextual() || !envelope.path("message").isTextual()
                || !envelope.path("timestamp").isTextual()) {
            return "status " + status + ", not the envelope: " + excerpt(body);
        }
        if (envelope.path("success").asBoolean()) {
            return status < 400 && envelope.has("data") ? null : "status " + status + ", success without data";
        }
        String code = envelope.path("error").path("code").asText(null);
        if (status < 400 || code == null || !code.equals(envelope.path("messageCode").asText())) {
            return "status " + status + ", error code " + code + " vs messageCode " + envelope.path("messageCode");
        }
        return null;
    }

    private static String excerpt(byte[] body) {
        String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
