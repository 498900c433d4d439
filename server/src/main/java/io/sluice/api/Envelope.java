package io.sluice.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Map;

/**
 * The one response shape of every route:
 * {@code {success, data | error{code,message,details}, messageCode, message, timestamp}}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"success", "data", "error", "messageCode", "message", "timestamp"})
public record Envelope(boolean success, Object data, ErrorBody error, String messageCode, String message,
                       String timestamp) {

    @JsonPropertyOrder({"code", "message", "details"})
    public record ErrorBody(String code, String message, Map<String, Object> details) {
    }
}
