package io.sluice.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.javalin.router.Endpoint;
import io.javalin.security.Roles;
import io.javalin.security.RouteRole;
import io.sluice.access.Caller;
import io.sluice.access.CallerResolver;
import io.sluice.access.Role;
import io.sluice.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The HTTP server: builds Javalin from the features' {@link Routes}, with one access check before
 * every matched route and one mapping of every failure to the standard envelope.
 */
public final class HttpApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpApp.class);
    private static final String CALLER = "sluice.caller";
    private static final String UI_FOLDER = "/sluice-web";
    private static final Set<String> API_PREFIXES = Set.of("/api", "/query", "/health", "/metrics");
    /** Jetty's own default. */
    private static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

    private final Javalin javalin;
    private final String host;
    private final int port;

    /** @param requests told of every answered request (metrics) */
    public HttpApp(String host, int port, long maxRequestBytes, ObjectMapper mapper, Responder responder,
                   CallerResolver callers, List<Routes> features, RequestObserver requests) {
        this(host, port, maxRequestBytes, DEFAULT_IDLE_TIMEOUT, mapper, responder, callers, features, requests);
    }

    /**
     * @param idleTimeout how long a connection may stay silent, also in the middle of a request's
     *                    body (then the request answers 408)
     */
    public HttpApp(String host, int port, long maxRequestBytes, Duration idleTimeout, ObjectMapper mapper,
                   Responder responder, CallerResolver callers, List<Routes> features) {
        this(host, port, maxRequestBytes, idleTimeout, mapper, responder, callers, features, RequestObserver.NONE);
    }

    private HttpApp(String host, int port, long maxRequestBytes, Duration idleTimeout, ObjectMapper mapper,
                    Responder responder, CallerResolver callers, List<Routes> features, RequestObserver requests) {
        this.host = host;
        this.port = port;
        boolean hasUi = HttpApp.class.getResource(UI_FOLDER + "/index.html") != null;
        EnvelopeErrorHandler jettyErrors = new EnvelopeErrorHandler(responder, mapper);
        this.javalin = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(mapper, false));
            config.http.maxRequestSize = maxRequestBytes;
            // Jetty answers malformed messages itself, before Javalin: in the envelope too. The gate
            // refuses what no route should see, before any body is read.
            config.jetty.modifyServer(server -> {
                server.setErrorHandler(jettyErrors);
                server.insertHandler(new RequestGate(maxRequestBytes, jettyErrors));
            });
            config.jetty.modifyHttpConfiguration(http -> http.setIdleTimeout(idleTimeout.toMillis()));
            config.http.prefer405over404 = true;
            config.router.ignoreTrailingSlashes = true;
            if (hasUi) {
                config.staticFiles.add(files -> {
                    files.hostedPath = "/";
                    files.directory = UI_FOLDER;
                    files.location = Location.CLASSPATH;
                });
            }
            config.routes.beforeMatched(ctx -> {
                // The UI's static files (no route, hence no roles) are public; every route is checked.
                if (hasUi && ctx.routeRoles().isEmpty() && isUiPath(ctx.path())) {
                    return;
                }
                checkAccess(ctx, callers);
            });
            // Log fields a request sets (the query it is about) must not follow a Jetty thread into
            // the next request.
            config.routes.before(ctx -> MDC.clear());
            config.routes.after(ctx -> MDC.clear());
            config.requestLogger.http((ctx, millis) -> requests.answered(routeTemplate(ctx), ctx.req().getMethod(),
                    ctx.statusCode(), Duration.ofNanos((long) (millis * 1_000_000))));
            RouteTable table = new RouteTable(config.routes);
            features.forEach(f -> f.register(table));

            config.routes.exception(ApiException.class, (e, ctx) -> responder.error(ctx, e));
            // The store is down: answered at once, and a load balancer's readiness check says so too.
            config.routes.exception(StoreUnavailableException.class, (e, ctx) ->
                    responder.error(ctx, new ApiException(MessageCode.STORE_UNAVAILABLE)));
            // The UI has no client-side paths: "/" and its files are all it serves, anything else is
            // an unknown route, answered with the envelope like every other.
            config.routes.exception(HttpResponseException.class, (e, ctx) ->
                    responder.error(ctx, ApiException.fromHttpStatus(e.getStatus(), Map.of())));
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
                responder.error(ctx, new ApiException(MessageCode.INTERNAL_ERROR));
            });
            // Statuses set without an exception (Jetty's limits, a body that stopped arriving: 408)
            // still get the envelope.
            for (int status : new int[]{404, 405, 408, 413, 500}) {
                config.routes.error(status, ctx -> {
                    if ((ctx.result() != null && !ctx.result().isEmpty()) || ctx.res().isCommitted()) {
                        return;
                    }
                    responder.error(ctx, ApiException.fromHttpStatus(status, Map.of()));
                });
            }
        });
        checkEveryRouteDeclaresItsRole();
    }

    /** A registered route and the roles it declares: what the access check decides on. */
    public record Route(String method, String path, Set<RouteRole> roles) {
    }

    /** Every route registered with Javalin (the UI's static files are not routes). */
    public List<Route> routes() {
        return javalin.unsafe.internalRouter.allHttpHandlers().stream()
                .map(parsed -> parsed.endpoint)
                .filter(endpoint -> endpoint.method.isHttpMethod())
                .map(endpoint -> {
                    Roles roles = endpoint.metadata(Roles.class);
                    return new Route(endpoint.method.name(), endpoint.path, roles == null ? Set.of() : roles.getRoles());
                })
                .toList();
    }

    /** Refuses to build an app with a route that does not declare exactly one known role. */
    private void checkEveryRouteDeclaresItsRole() {
        for (Route route : routes()) {
            if (route.roles().size() != 1 || !(route.roles().iterator().next() instanceof Role)) {
                throw new IllegalStateException("route " + route.method() + " " + route.path()
                        + " must declare exactly one role, declares " + route.roles());
            }
        }
    }

    public HttpApp start() {
        javalin.start(host, port);
        return this;
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return javalin.port();
    }

    @Override
    public void close() {
        javalin.stop();
    }

    /** The caller the access check established for this request. */
    public static Caller caller(Context ctx) {
        Caller caller = ctx.attribute(CALLER);
        if (caller == null) {
            throw new ApiException(MessageCode.UNAUTHENTICATED);
        }
        return caller;
    }

    private static void checkAccess(Context ctx, CallerResolver callers) {
        Set<RouteRole> roles = ctx.routeRoles();
        if (roles.isEmpty()) {
            LOG.error("route {} {} declares no role; refusing", ctx.method(), ctx.path());
            throw new ApiException(MessageCode.ACCESS_DENIED);
        }
        CallerResolver.Resolution who = callers.resolve(ctx.ip(), name -> headerValues(ctx, name));
        who.caller().ifPresent(c -> ctx.attribute(CALLER, c));
        if (roles.contains(Role.ANYONE)) {
            return; // public routes work whatever the identity headers say
        }
        if (roles.contains(Role.USER)) {
            if (who.problem().isPresent()) {
                CallerResolver.Problem problem = who.problem().get();
                throw new ApiException(MessageCode.IDENTITY_INVALID,
                        Map.of("header", problem.header(), "reason", problem.reason()));
            }
            if (who.caller().isEmpty()) {
                throw new ApiException(MessageCode.UNAUTHENTICATED);
            }
            return;
        }
        LOG.error("route {} {} declares unknown roles {}; refusing", ctx.method(), ctx.path(), roles);
        throw new ApiException(MessageCode.ACCESS_DENIED);
    }

    /** The template of the route that answered {@code ctx} ({@code /api/query/{id}/status}), or null. */
    private static String routeTemplate(Context ctx) {
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        return endpoint == null ? null : endpoint.path;
    }

    private static List<String> headerValues(Context ctx, String name) {
        Enumeration<String> values = ctx.req().getHeaders(name);
        return values == null ? List.of() : Collections.list(values);
    }

    private static boolean isUiPath(String path) {
        return API_PREFIXES.stream().noneMatch(p -> path.equals(p) || path.startsWith(p + "/"));
    }
}
