package io.sluice.api;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * The checks every request passes before the app sees it, refused at once in the envelope:
 * <ul>
 * <li>{@code CONNECT} answers 405: Sluice is no proxy.</li>
 * <li>A declared body over {@code server.maxRequestBytes} answers 413 without reading it, and the
 * connection closes, so a client announcing a huge body cannot hold it open.</li>
 * <li>A request target with a malformed percent-escape ({@code %u002e}, a lone {@code %}) answers
 * 400: no route could decode its path or query.</li>
 * </ul>
 */
final class RequestGate extends Handler.Wrapper {

    private static final Logger LOG = LoggerFactory.getLogger(RequestGate.class);

    private final long maxRequestBytes;
    private final EnvelopeErrorHandler errors;

    RequestGate(long maxRequestBytes, EnvelopeErrorHandler errors) {
        this.maxRequestBytes = maxRequestBytes;
        this.errors = errors;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        ApiException refusal = refusal(request);
        if (refusal == null) {
            return super.handle(request, response, callback);
        }
        LOG.info("refused {} before any route: {} {}", request.getMethod(), refusal.status(), refusal.code());
        if (refusal.code() == MessageCode.REQUEST_TOO_LARGE) {
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        }
        errors.write(request, response, callback, refusal);
        return true;
    }

    private ApiException refusal(Request request) {
        if (HttpMethod.CONNECT.is(request.getMethod())) {
            return new ApiException(MessageCode.METHOD_NOT_ALLOWED, Map.of("method", "CONNECT"));
        }
        long declared = request.getLength();
        if (declared > maxRequestBytes) {
            return new ApiException(MessageCode.REQUEST_TOO_LARGE,
                    Map.of("maxRequestBytes", maxRequestBytes, "contentLength", declared));
        }
        String path = request.getHttpURI().getPath();
        String query = request.getHttpURI().getQuery();
        if (hasMalformedEscape(path) || hasMalformedEscape(query)) {
            return new ApiException(MessageCode.MALFORMED_REQUEST,
                    Map.of("reason", "malformed percent-escape in the request target"));
        }
        return null;
    }

    /** Whether {@code text} has a {@code %} not followed by two hex digits (RFC 3986 §2.1). */
    static boolean hasMalformedEscape(String text) {
        if (text == null) {
            return false;
        }
        for (int i = text.indexOf('%'); i >= 0; i = text.indexOf('%', i + 1)) {
            if (i + 2 >= text.length() || !isHex(text.charAt(i + 1)) || !isHex(text.charAt(i + 2))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isHex(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
