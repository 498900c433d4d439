package io.sluice.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testing.ApiClient;
import io.sluice.testing.ApiClient.Response;
import io.sluice.testing.SluiceExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The response envelope on every answer, with the message in the caller's language. */
class EnvelopeApiTest {

    @RegisterExtension
    static final SluiceExtension sluice = new SluiceExtension();
    static ApiClient api;

    @BeforeAll
    static void start() {
        api = sluice.api();
    }

    @Test
    void successesCarryDataMessageCodeMessageAndTimestamp() {
        Response r = api.get("/health");
        assertThat(r.status()).isEqualTo(200);
        JsonNode json = r.json();
        assertThat(json.path("success").asBoolean()).isTrue();
        assertThat(json.path("data").path("status").asText()).isEqualTo("UP");
        assertThat(json.path("messageCode").asText()).isEqualTo("HEALTHY");
        assertThat(json.path("message").asText()).isEqualTo("Sluice 运行正常");
        assertThat(json.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(json.has("error")).isFalse();
    }

    @Test
    void messagesFollowAcceptLanguageWithChineseByDefault() {
        assertThat(api.get("/api/query/x/status").json().path("message").asText()).isEqualTo("查询不存在");
        Response en = api.with("Accept-Language", "en-US,en;q=0.9").get("/api/query/x/status");
        assertThat(en.json().path("message").asText()).isEqualTo("Query not found");
        assertThat(en.json().path("error").path("message").asText()).isEqualTo("Query not found");
        Response zh = api.with("Accept-Language", "zh-TW").get("/api/query/x/status");
        assertThat(zh.json().path("message").asText()).isEqualTo("查询不存在");
        Response other = api.with("Accept-Language", "fr-FR").get("/api/query/x/status");
        assertThat(other.json().path("message").asText()).isEqualTo("查询不存在");
        Response garbage = api.with("Accept-Language", ";;;q=x").get("/api/query/x/status");
        assertThat(garbage.status()).isEqualTo(404);
    }

    @Test
    void unknownRoutesAnswerRouteNotFoundInTheEnvelope() {
        for (String path : new String[]{"/api/nope", "/api/query/x/y/z", "/query/x/explode", "/api"}) {
            Response r = api.get(path);
            assertThat(r.status()).as(path).isEqualTo(404);
            assertThat(r.errorCode()).as(path).isEqualTo("ROUTE_NOT_FOUND");
            assertThat(r.json().path("success").asBoolean()).isFalse();
        }
    }

    @Test
    void wrongMethodsAnswerMethodNotAllowedInTheEnvelope() {
        Response r = api.get("/api/query");
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.errorCode()).isEqualTo("METHOD_NOT_ALLOWED");
        Response del = api.method("DELETE", "/api/queries");
        assertThat(del.status()).isEqualTo(405);
        assertThat(del.errorCode()).isEqualTo("METHOD_NOT_ALLOWED");
    }

    @Test
    void wrongContentTypeIsRefused() {
        Response r = api.send(api.request("/api/query").header("Content-Type", "application/xml")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("<q/>")));
        assertThat(r.status()).isEqualTo(415);
        assertThat(r.errorCode()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
        assertThat(r.json().path("message").asText()).contains("Content-Type: application/json");
        assertThat(r.json().path("error").path("details").path("expected").asText()).isEqualTo("application/json");
        // What curl sends for -d without a header: refused, with the same hint in English.
        Response form = api.send(api.request("/api/query").header("Accept-Language", "en")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"query\": \"SELECT 1\"}")));
        assertThat(form.status()).isEqualTo(415);
        assertThat(form.json().path("message").asText())
                .isEqualTo("The request body must be JSON: send it with the header Content-Type: application/json");
    }

    @Test
    void configShowsEffectiveNonSecretSettings() {
        Response r = api.get("/api/config");
        assertThat(r.status()).isEqualTo(200);
        JsonNode data = r.data();
        assertThat(data.path("defaultEngine").asText()).isEqualTo("duckdb");
        assertThat(data.path("engines").get(0).path("name").asText()).isEqualTo("duckdb");
        assertThat(data.path("engines").get(0).path("defaultDatabase").asText()).isEqualTo("main");
        assertThat(data.path("results").path("maxPageSize").asInt()).isEqualTo(1000);
        assertThat(data.path("user").asText()).isEqualTo("anonymous");
        assertThat(r.text()).doesNotContain("password").doesNotContain("linkSecret").doesNotContain("jdbc:");
    }

    @Test
    void submitAnswersInTheEnvelopeWithAcceptedStatus() {
        Response r = api.post("/api/query", Map.of("query", "SELECT 1"));
        assertThat(r.status()).isEqualTo(202);
        assertThat(r.json().path("success").asBoolean()).isTrue();
        assertThat(r.json().path("message").asText()).isEqualTo("查询已提交");
    }

    @Test
    void theWebUiIsServedAtTheRootWithoutAnIdentity() {
        Response index = api.get("/");
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.headers().get("content-type").get(0)).startsWith("text/html");
        assertThat(index.text()).contains("<script");
        // The page's own files are served too.
        Matcher script = Pattern.compile("src=\"(/assets/[^\"]+\\.js)\"").matcher(index.text());
        assertThat(script.find()).as("index.html names its script").isTrue();
        Response asset = api.get(script.group(1));
        assertThat(asset.status()).isEqualTo(200);
        assertThat(asset.headers().get("content-type").get(0)).contains("javascript");
    }

    @Test
    void unknownPathsOutsideTheApiAnswerRouteNotFoundNotThePage() {
        // The UI routes nothing by path, so no path but "/" is the page.
        for (String path : new String[]{"/history", "/no/such/page", "/assets/missing.js", "/index.htm"}) {
            Response r = api.get(path);
            assertThat(r.status()).as(path).isEqualTo(404);
            assertThat(r.errorCode()).as(path).isEqualTo("ROUTE_NOT_FOUND");
            assertThat(r.json().path("success").asBoolean(true)).as(path).isFalse();
            assertThat(r.text()).as(path).doesNotContain("<script");
        }
    }
}
