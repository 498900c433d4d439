package io.sluice.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A small HTTP client for Sluice's API in tests: sends JSON, parses the envelope. */
public final class ApiClient {

    private static final ObjectMapper MAPPER = Json.mapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final Map<String, String> headers;

    public ApiClient(URI base, Map<String, String> headers) {
        this.base = base;
        this.headers = Map.copyOf(headers);
    }

    /** The same client, sending these headers too (e.g. another identity). */
    public ApiClient with(String header, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(header, value);
        return new ApiClient(base, more);
    }

    public URI base() {
        return base;
    }

    public Response get(String path) {
        return send(request(path).GET());
    }

    public Response post(String path, Object body) {
        String text;
        try {
            text = body instanceof String s ? s : MAPPER.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(text)));
    }

    public Response put(String path, Object body) {
        String text;
        try {
            text = body instanceof String s ? s : MAPPER.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(text)));
    }

    public Response delete(String path) {
        return send(request(path).DELETE());
    }

    public Response post(String path) {
        return send(request(path).POST(HttpRequest.BodyPublishers.noBody()));
    }

    public Response method(String method, String path) {
        return send(request(path).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    /** Submits a query and returns its id. */
    public String submit(String sql) {
        Response r = post("/api/query", Map.of("query", sql));
        if (r.status() != 202) {
            throw new AssertionError("submit failed: " + r);
        }
        return r.data().path("id").asText();
    }

    public String state(String id) {
        return get("/api/query/" + id + "/status").data().path("state").asText();
    }

    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
        headers.forEach(b::header);
        return b;
    }

    public Response send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body;
            try {
                body = response.body().isEmpty() ? MAPPER.createObjectNode() : MAPPER.readTree(response.body());
            } catch (IOException e) {
                body = null;
            }
            return new Response(response.statusCode(), body, response.body(), response.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A response: status, parsed JSON body (null if not JSON), raw text, headers. */
    public record Response(int status, JsonNode json, String text, Map<String, java.util.List<String>> headers) {

        public JsonNode data() {
            return json.path("data");
        }

        public String messageCode() {
            return json.path("messageCode").asText();
        }

        public String errorCode() {
            return json.path("error").path("code").asText();
        }

        @Override
        public String toString() {
            return status + " " + (text.length() > 2000 ? text.substring(0, 2000) + "…" : text);
        }
    }
}
