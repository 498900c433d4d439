package io.sluice.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Map;

/**
 * The errors Jetty answers itself, before or around the app — a request line or header it cannot
 * parse, its size limits, a failure outside Javalin — in the standard envelope instead of Jetty's
 * HTML page. Installed on the Jetty server, so it answers requests that never reach a route. It logs
 * one line per answer and never a stack trace: a refused request is the client's mistake, and a
 * client can send as many as it likes.
 */
final class EnvelopeErrorHandler extends ErrorHandler {

    private static final Logger LOG = LoggerFactory.getLogger(EnvelopeErrorHandler.class);
    private static final int MAX_REASON_CHARS = 200;

    private final Responder responder;
    private final ObjectMapper mapper;

    EnvelopeErrorHandler(Responder responder, ObjectMapper mapper) {
        this.responder = responder;
        this.mapper = mapper;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        String reason = request.getAttribute(ERROR_MESSAGE) instanceof String text ? text : null;
        if (request.getAttribute(ERROR_EXCEPTION) instanceof HttpException http) {
            status = http.getCode();
            reason = reason == null ? http.getReason() : reason;
        }
        // Jetty's reasons for a refused request ("No Host", "Illegal character CNTL=0x0") help the
        // client; the message of a server-side failure may carry internals and is only logged.
        boolean clientError = status >= 400 && status < 500 || status == 501 || status == 505;
        ApiException error = ApiException.fromHttpStatus(status,
                clientError && reason != null ? Map.of("reason", truncate(reason)) : Map.of());
        if (clientError) {
            LOG.info("HTTP {} answered by the server before any route: {}", status, reason);
        } else {
            LOG.warn("HTTP {} answered by the server outside the app: {}", status, reason);
        }
        write(request, response, callback, error);
        return true;
    }

    /**
     * Writes {@code error} as the whole response. The message is in the language the request asks
     * for when its headers could be read, else in the server's default.
     */
    void write(Request request, Response response, Callback callback, ApiException error) {
        Locale locale = responder.locale(request.getHeaders().get(HttpHeader.ACCEPT_LANGUAGE));
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(responder.errorEnvelope(locale, error));
        } catch (JsonProcessingException e) {
            callback.failed(e);
            return;
        }
        response.setStatus(error.status());
        response.getHeaders().put(ERROR_CACHE_CONTROL);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    private static String truncate(String text) {
        return text.length() > MAX_REASON_CHARS ? text.substring(0, MAX_REASON_CHARS) + "…" : text;
    }
}
