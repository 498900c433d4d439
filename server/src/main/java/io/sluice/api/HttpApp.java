package io.sluice.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.javalin.security.Roles;
import io.javalin.security.RouteRole;
import io.sluice.access.Caller;
import io.sluice.access.CallerResolver;
import io.sluice.access.Role;
import io.sluice.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

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

    private final Javalin javalin;
    private final String host;
    private final int port;

    public HttpApp(String host, int port, long maxRequestBytes, ObjectMapper mapper, Responder responder,
                   CallerResolver callers, List<Routes> features) {
        this.host = host;
        this.port = port;
        boolean hasUi = HttpApp.class.getResource(UI_FOLDER + "/index.html") != null;
        this.javalin = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(mapper, false));
            config.http.maxRequestSize = maxRequestBytes;
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
                checkAccess(ctx, callers, responder);
            });
            // Log fields a request sets (the query it is about) must not follow a Jetty thread into
            // the next request.
            config.routes.before(ctx -> MDC.clear());
            config.routes.after(ctx -> MDC.clear());
            RouteTable table = new RouteTable(config.routes);
            features.forEach(f -> f.register(table));

            config.routes.exception(ApiException.class, (e, ctx) -> responder.error(ctx, e));
            // The store is down: answered at once, and a load balancer's readiness check says so too.
            config.routes.exception(StoreUnavailableException.class, (e, ctx) ->
                    responder.error(ctx, new ApiException(MessageCode.STORE_UNAVAILABLE)));
            // The UI has no client-side paths: "/" and its files are all it serves, anything else is
            // an unknown route, answered with the envelope like every other.
            config.routes.exception(HttpResponseException.class, (e, ctx) ->
                    responder.error(ctx, fromHttpStatus(e.getStatus())));
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
                responder.error(ctx, new ApiException(MessageCode.INTERNAL_ERROR));
            });
            // Statuses set without an exception (e.g. Jetty's own limits) still get the envelope.
            for (int status : new int[]{404, 405, 413, 500}) {
                config.routes.error(status, ctx -> {
                    if ((ctx.result() != null && !ctx.result().isEmpty()) || ctx.res().isCommitted()) {
                        return;
                    }
                    responder.error(ctx, fromHttpStatus(status));
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

    private static void checkAccess(Context ctx, CallerResolver callers, Responder responder) {
        Set<RouteRole> roles = ctx.routeRoles();
        if (roles.isEmpty()) {
            LOG.error("route {} {} declares no role; refusing", ctx.method(), ctx.path());
            throw new ApiException(MessageCode.ACCESS_DENIED);
        }
        var caller = callers.resolve(ctx.ip(), ctx::header);
        caller.ifPresent(c -> ctx.attribute(CALLER, c));
        if (roles.contains(Role.ANYONE)) {
            return;
        }
        if (roles.contains(Role.USER)) {
            if (caller.isEmpty()) {
                throw new ApiException(MessageCode.UNAUTHENTICATED);
            }
            return;
        }
        LOG.error("route {} {} declares unknown roles {}; refusing", ctx.method(), ctx.path(), roles);
        throw new ApiException(MessageCode.ACCESS_DENIED);
    }

    private static ApiException fromHttpStatus(int status) {
        MessageCode code = switch (status) {
            case 400 -> MessageCode.INVALID_PARAMETER;
            case 401 -> MessageCode.UNAUTHENTICATED;
            case 403 -> MessageCode.ACCESS_DENIED;
            case 404 -> MessageCode.ROUTE_NOT_FOUND;
            case 405 -> MessageCode.METHOD_NOT_ALLOWED;
            case 413 -> MessageCode.REQUEST_TOO_LARGE;
            case 415 -> MessageCode.UNSUPPORTED_MEDIA_TYPE;
            case 503 -> MessageCode.SERVICE_UNAVAILABLE;
            default -> MessageCode.INTERNAL_ERROR;
        };
        return new ApiException(status >= 400 && status < 600 ? status : 500, code, Map.of(), null);
    }

    private static boolean isUiPath(String path) {
        return API_PREFIXES.stream().noneMatch(p -> path.equals(p) || path.startsWith(p + "/"));
    }
}
