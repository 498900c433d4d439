package io.sluice.api;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One fuzzed request to one of the fuzz test's servers: either a request {@link
 * java.net.http.HttpClient} may be able to send (method, target, headers, body), or raw bytes for a
 * plain socket.
 *
 * @param server  which server it goes to (an index into the test's servers)
 * @param label   what kind of case it is, for the failure report
 * @param route   the registered route it was made from, or null (raw cases, unknown paths)
 * @param body    null for no body at all (not even {@code Content-Length: 0})
 * @param raw     the exact bytes to send, or null
 */
record FuzzCase(int server, String label, String route, String method, String target, List<String[]> headers,
                byte[] body, byte[] raw) {

    /** Headers HttpClient will not let a caller set; a case with one goes over a socket. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "transfer-encoding");

    static FuzzCase http(int server, String label, String route, String method, String target, List<String[]> headers,
                         byte[] body) {
        return new FuzzCase(server, label, route, method, target, headers, body, null);
    }

    static FuzzCase raw(int server, String label, String request) {
        return new FuzzCase(server, label, null, request.split(" ", 2)[0], "", List.of(), null,
                request.getBytes(StandardCharsets.ISO_8859_1));
    }

    boolean isHead() {
        return "HEAD".equals(method);
    }

    /** The path part of the target, as sent. */
    String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    boolean needsSocket() {
        return raw != null || headers.stream().anyMatch(h -> RESTRICTED.contains(h[0].toLowerCase(Locale.ROOT)));
    }

    /** The request as bytes on the wire (UTF-8 for text, so non-ASCII paths arrive as UTF-8). */
    byte[] wire(String hostHeader) {
        if (raw != null) {
            return raw;
        }
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        boolean hasHost = headers.stream().anyMatch(h -> h[0].equalsIgnoreCase("host"));
        boolean framed = headers.stream().anyMatch(h -> h[0].equalsIgnoreCase("content-length")
                || h[0].equalsIgnoreCase("transfer-encoding"));
        if (!hasHost) {
            head.append("Host: ").append(hostHeader).append("\r\n");
        }
        headers.forEach(h -> head.append(h[0]).append(": ").append(h[1]).append("\r\n"));
        if (body != null && !framed) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] start = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] content = body == null ? new byte[0] : body;
        byte[] all = new byte[start.length + content.length];
        System.arraycopy(start, 0, all, 0, start.length);
        System.arraycopy(content, 0, all, start.length, content.length);
        return all;
    }

    @Override
    public String toString() {
        String shown = raw != null ? new String(raw, 0, Math.min(raw.length, 160), StandardCharsets.ISO_8859_1)
                : method + " " + (target.length() > 160 ? target.substring(0, 160) + "…" : target);
        return "#" + server + " [" + label + "] " + shown.replace("\r", "\\r").replace("\n", "\\n")
                .replace("\0", "\\0");
    }
}
