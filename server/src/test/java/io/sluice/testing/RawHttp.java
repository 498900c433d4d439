package io.sluice.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for what {@link java.net.http.HttpClient} refuses to send: control
 * characters, duplicate framing headers, lying lengths, broken request lines. Sends the bytes as
 * given, closes its side (so a server waiting for a body it was promised sees the end at once,
 * unless {@link #sendKeepingOpen}), and reads every response until the server closes.
 */
public final class RawHttp {

    private final String host;
    private final int port;
    private final Duration timeout;

    public RawHttp(String host, int port, Duration timeout) {
        this.host = host;
        this.port = port;
        this.timeout = timeout;
    }

    /** One response: status, headers (names lower case, last value wins) and body (de-chunked). */
    public record Answer(int status, Map<String, String> headers, byte[] body) {

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** What came back: the responses, in order, and whether the server stopped answering in time. */
    public record Exchange(List<Answer> answers, boolean timedOut) {
    }

    /** Sends {@code request} (ISO-8859-1, so every byte 0..255 is expressible) and reads the answers. */
    public Exchange send(String request, boolean headRequest) {
        return send(request.getBytes(StandardCharsets.ISO_8859_1), headRequest);
    }

    public Exchange send(byte[] request, boolean headRequest) {
        return send(request, headRequest, true);
    }

    /**
     * Sends {@code request} and keeps the connection open, as a client still sending its body would:
     * whatever answers comes from the server alone, not from the end of the request.
     */
    public Exchange sendKeepingOpen(String request) {
        return send(request.getBytes(StandardCharsets.ISO_8859_1), false, false);
    }

    private Exchange send(byte[] request, boolean headRequest, boolean endRequest) {
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
                if (endRequest) {
                    socket.shutdownOutput();
                }
            } catch (IOException e) {
                // The server may answer and close before reading all of a large request: read what came.
            }
            InputStream in = socket.getInputStream();
            List<Answer> answers = new ArrayList<>();
            try {
                Answer answer;
                while ((answer = readAnswer(in, headRequest)) != null) {
                    if (answer.status() >= 200) {
                        answers.add(answer);
                    }
                }
                return new Exchange(answers, false);
            } catch (SocketTimeoutException e) {
                return new Exchange(answers, true);
            } catch (IOException e) {
                return new Exchange(answers, false); // reset by the server after its answer
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Answer readAnswer(InputStream in, boolean headRequest) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            return null;
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP response: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        byte[] body;
        if (headRequest || status < 200 || status == 204 || status == 304) {
            body = new byte[0];
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = chunked(in);
        } else if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else {
            body = in.readAllBytes();
        }
        return new Answer(status, headers, body);
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            if (size == null) {
                return body.toByteArray();
            }
            int length = Integer.parseInt(size.split(";", 2)[0].trim(), 16);
            if (length == 0) {
                for (String trailer = line(in); trailer != null && !trailer.isEmpty(); trailer = line(in)) {
                    // trailers are not needed
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(length));
            line(in);
        }
    }

    /** One CRLF-terminated line without its terminator, or null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                byte[] b = bytes.toByteArray();
                int end = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
                return new String(b, 0, end, StandardCharsets.ISO_8859_1);
            }
            bytes.write(c);
        }
        return bytes.size() == 0 ? null : bytes.toString(StandardCharsets.ISO_8859_1);
    }
}
