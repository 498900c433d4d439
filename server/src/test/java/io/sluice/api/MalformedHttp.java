package io.sluice.api;

import java.util.List;

/**
 * HTTP/1.1 requests that are broken on the wire — what {@link java.net.http.HttpClient} refuses to
 * send — as ISO-8859-1 text, one per entry. Each is a kind of mistake or attack a server in front
 * of the public meets: bad request lines, illegal characters, ambiguous framing, oversized parts.
 */
final class MalformedHttp {

    private static final String H = "Host: 127.0.0.1\r\n";
    private static final String JSON = "Content-Type: application/json\r\n";

    private static final List<String> REQUESTS = List.of(
            // request lines
            "garbage\r\n\r\n",
            "\r\n\r\n",
            "GET\r\n\r\n",
            "GET /health\r\n\r\n",
            "GET /health HTTP/9.9\r\n" + H + "\r\n",
            "GET /health HTTP/2.0\r\n" + H + "\r\n",
            "GET /health HTTP/1.0\r\n\r\n",
            "GET /health HTTP/1.1 extra\r\n" + H + "\r\n",
            "GET  /health HTTP/1.1\r\n" + H + "\r\n",
            "get /health HTTP/1.1\r\n" + H + "\r\n",
            "G\u0000T /health HTTP/1.1\r\n" + H + "\r\n",
            "CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\n\r\n",
            "CONNECT evil.example:443 HTTP/1.1\r\n" + H + "\r\n",
            "OPTIONS * HTTP/1.1\r\n" + H + "\r\n",
            "GET http://127.0.0.1/health HTTP/1.1\r\n" + H + "\r\n",
            "GET http://evil.example/api/config HTTP/1.1\r\n" + H + "\r\n",
            "GET health HTTP/1.1\r\n" + H + "\r\n",
            "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
            "\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003",
            // targets
            "GET /api/query/%00/status HTTP/1.1\r\n" + H + "\r\n",
            "GET /api/query/\u0000/status HTTP/1.1\r\n" + H + "\r\n",
            "GET /api/query/\"x\"/status HTTP/1.1\r\n" + H + "\r\n",
            "GET /api/query/a b/status HTTP/1.1\r\n" + H + "\r\n",
            "GET /api/query/%u002e/status HTTP/1.1\r\n" + H + "\r\n",
            "GET /api/query/%/status HTTP/1.1\r\n" + H + "\r\n",
            "GET /api/queries?limit=%zz HTTP/1.1\r\n" + H + "\r\n",
            "GET /api/query/\u00e6\u009f\u00a5/status HTTP/1.1\r\n" + H + "\r\n",
            "GET /api/query/\u00ff\u00fe/status HTTP/1.1\r\n" + H + "\r\n",
            "GET /api/query/..\\..\\etc/status HTTP/1.1\r\n" + H + "\r\n",
            "GET /api/../../../etc/passwd HTTP/1.1\r\n" + H + "\r\n",
            "GET /" + "a".repeat(70_000) + " HTTP/1.1\r\n" + H + "\r\n",
            "GET /health?" + "q=1&".repeat(5_000) + " HTTP/1.1\r\n" + H + "\r\n",
            // headers
            "GET /health HTTP/1.1\r\n\r\n",
            "GET /health HTTP/1.1\r\n" + H + H + "\r\n",
            "GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            "GET /health HTTP/1.1\r\n" + H + "X-A: a\u0000b\r\n\r\n",
            "GET /health HTTP/1.1\r\n" + H + "X-A: a\rb\r\n\r\n",
            "GET /health HTTP/1.1\r\n" + H + "No colon here\r\n\r\n",
            "GET /health HTTP/1.1\r\n" + H + "Bad Name: x\r\n\r\n",
            "GET /health HTTP/1.1\r\n" + H + ": empty name\r\n\r\n",
            "GET /health HTTP/1.1\r\n" + H + "X-Folded: a\r\n b\r\n\r\n",
            "GET /health HTTP/1.1\n" + H.replace("\r", "") + "\n",
            "GET /health HTTP/1.1\r\n" + H + "X-Big: " + "a".repeat(20_000) + "\r\n\r\n",
            "GET /health HTTP/1.1\r\n" + H + "X-Many: 1\r\n".repeat(3_000) + "\r\n",
            "GET /health HTTP/1.1\r\n" + H + "X-Latin: caf\u00e9\r\n\r\n",
            "GET /api/config HTTP/1.1\r\n" + H + "X-Email: a\u0001b@example.com\r\n\r\n",
            "GET /api/config HTTP/1.1\r\n" + H + "X-Email: alice@example.com\r\nX-Email: alice@example.com\r\n\r\n",
            "GET /api/config HTTP/1.1\r\n" + H + "X-Email: al\u00efce@example.com\r\n\r\n",
            "GET /api/config HTTP/1.1\r\n" + H + "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
            "GET /health HTTP/1.1\r\n" + H + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n",
            // framing
            "POST /api/query HTTP/1.1\r\n" + H + JSON + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n",
            "POST /api/query HTTP/1.1\r\n" + H + JSON + "Content-Length: 5\r\nContent-Length: 6\r\n\r\n{}",
            "POST /api/query HTTP/1.1\r\n" + H + JSON + "Content-Length: -1\r\n\r\n{}",
            "POST /api/query HTTP/1.1\r\n" + H + JSON + "Content-Length: abc\r\n\r\n{}",
            "POST /api/query HTTP/1.1\r\n" + H + JSON + "Content-Length: 99999999999999999999999\r\n\r\n{}",
            "POST /api/query HTTP/1.1\r\n" + H + JSON + "Content-Length: 99999999999\r\n\r\n{}",
            "POST /health HTTP/1.1\r\n" + H + "Content-Length: 99999999999\r\n\r\n",
            "POST /api/query HTTP/1.1\r\n" + H + JSON + "Content-Length: 40\r\n\r\n{\"query\": \"SELECT 1\"",
            "POST /api/query HTTP/1.1\r\n" + H + JSON + "Content-Length: 2\r\n\r\n{\"query\": \"SELECT 1\"}",
            "POST /api/duckdb/query HTTP/1.1\r\n" + H + JSON + "Content-Length: 300\r\n\r\n{\"sql\": \"SELECT 1\"}",
            "POST /api/query HTTP/1.1\r\n" + H + JSON + "Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
            "POST /api/query HTTP/1.1\r\n" + H + JSON + "Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFF\r\nabc\r\n",
            "POST /api/query HTTP/1.1\r\n" + H + JSON + "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n",
            "POST /api/query HTTP/1.1\r\n" + H + JSON + "Transfer-Encoding: gzip\r\n\r\n{}",
            "POST /api/query HTTP/1.1\r\n" + H + JSON + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n",
            "POST /api/query HTTP/1.1\r\n" + H + JSON + "Transfer-Encoding: chunked\r\n\r\n"
                    + ("8000\r\n" + "a".repeat(0x8000) + "\r\n").repeat(40) + "0\r\n\r\n",
            "POST /api/query HTTP/1.1\r\n" + H + JSON + "Expect: 100-continue\r\nContent-Length: 99999999999\r\n\r\n",
            "POST /api/query HTTP/1.1\r\n" + H + JSON + "Expect: 100-continue\r\nContent-Length: 21\r\n\r\n"
                    + "{\"query\": \"SELECT 1\"}",
            "POST /api/query HTTP/1.1\r\n" + H + JSON + "Expect: teapot\r\nContent-Length: 2\r\n\r\n{}",
            "GET /health HTTP/1.1\r\n" + H + "Content-Length: 3\r\n\r\nabcGET /health HTTP/1.1\r\n" + H + "\r\n",
            "GET /health HTTP/1.1\r\n" + H + "\r\nGET /api/query/x/status HTTP/1.1\r\n" + H + "\r\nBROKEN\r\n\r\n",
            "POST /api/query HTTP/1.1\r\n" + H + "Content-Type: application/json\r\nContent-Length: 33\r\n\r\n"
                    + "{\"query\": \"SELECT 1\u0000; x\"}");

    private MalformedHttp() {
    }

    static List<String> requests() {
        return REQUESTS;
    }
}
