package io.sluice.standin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Athena's AWS JSON 1.1 endpoint: {@code POST /} with {@code X-Amz-Target: AmazonAthena.<Operation>}.
 * Requests may be SigV4-signed by the real SDK; signatures are not checked. The JDK's HTTP server
 * is enough for one route and keeps this module free of a second Jetty next to Javalin's.
 */
final class AthenaHttpServer implements AutoCloseable {
    private static final String TARGET_PREFIX = "AmazonAthena.";
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final Logger LOG = LoggerFactory.getLogger(AthenaHttpServer.class);

    static {
        // Without TCP_NODELAY the JDK server's small responses meet the client's delayed ACK and
        // every call takes ~40 ms. The JDK reads this once, when its first HTTP server is made.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final Map<String, Operation> operations;
    private final Faults faults;
    private final CallCounts calls;
    private final CallLog callLog;
    private final HttpServer server;
    private final ExecutorService executor;

    AthenaHttpServer(int port, Map<String, Operation> operations, Faults faults, CallCounts calls, CallLog callLog)
            throws IOException {
        this.operations = Map.copyOf(operations);
        this.faults = faults;
        this.calls = calls;
        this.callLog = callLog;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 512);
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(16, runnable -> {
            Thread thread = new Thread(runnable, "athena-standin-http-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    void start() {
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            ObjectNode response;
            int status = 200;
            try {
                response = dispatch(exchange, body);
            } catch (AthenaException e) {
                status = e.status;
                response = e.body();
            } catch (Exception e) {
                LOG.warn("Athena stand-in failed on {}", exchange.getRequestHeaders().getFirst("X-Amz-Target"), e);
                AthenaException internal = AthenaException.internal();
                status = internal.status;
                response = internal.body();
            }
            byte[] bytes = Json.MAPPER.writeValueAsBytes(response);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** The query executions a request names; none when it names none or names them wrongly. */
    private static List<String> namedExecutions(JsonRequest request) {
        List<String> ids = new ArrayList<>();
        try {
            String one = request.string("QueryExecutionId");
            if (one != null) {
                ids.add(one);
            }
            List<String> many = request.stringList("QueryExecutionIds");
            if (many != null) {
                ids.addAll(many);
            }
        } catch (AthenaException malformed) {
            // the operation itself answers the malformed request
        }
        return ids;
    }

    private ObjectNode dispatch(HttpExchange exchange, byte[] body) throws Exception {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (!"POST".equals(exchange.getRequestMethod()) || target == null || !target.startsWith(TARGET_PREFIX)) {
            throw AthenaException.unknownOperation();
        }
        String name = target.substring(TARGET_PREFIX.length());
        Operation operation = operations.get(name);
        if (operation == null) {
            throw AthenaException.unknownOperation();
        }
        calls.record(name);
        String caller = CallLog.caller(exchange.getRequestHeaders().getFirst("User-Agent"));
        JsonRequest request = null;
        AthenaException malformed = null;
        try {
            request = JsonRequest.parse(body);
            callLog.record(name, caller, namedExecutions(request));
        } catch (AthenaException e) {
            malformed = e;
        }
        Optional<AthenaException> fault = faults.pickCallFault(name);
        if (fault.isPresent()) {
            throw fault.get();
        }
        if (malformed != null) {
            throw malformed;
        }
        ObjectNode answer = operation.handle(request);
        if (answer.hasNonNull("QueryExecutionId")) {
            callLog.record(name, caller, List.of(answer.get("QueryExecutionId").asText()));
        }
        if (faults.pickLostAnswer(name)) {
            throw AthenaException.internal();
        }
        return answer;
    }
}
