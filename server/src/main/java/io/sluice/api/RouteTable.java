package io.sluice.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.sluice.access.Role;

/**
 * Where features register their routes. Every route names its {@link Role}: there is no way to
 * add one without, and the access check refuses any route that somehow has none.
 */
public final class RouteTable {

    private final RoutesConfig routes;

    public RouteTable(RoutesConfig routes) {
        this.routes = routes;
    }

    /**
     * A GET route, and its HEAD twin: the same handler behind the same access check, so HEAD answers
     * with GET's status and headers (the server sends no body for HEAD). Load balancers check with HEAD.
     */
    public void get(String path, Role role, Handler handler) {
        routes.addHttpHandler(HandlerType.GET, path, handler, required(role, path));
        routes.addHttpHandler(HandlerType.HEAD, path, handler, role);
    }

    public void post(String path, Role role, Handler handler) {
        routes.addHttpHandler(HandlerType.POST, path, handler, required(role, path));
    }

    public void put(String path, Role role, Handler handler) {
        routes.addHttpHandler(HandlerType.PUT, path, handler, required(role, path));
    }

    public void delete(String path, Role role, Handler handler) {
        routes.addHttpHandler(HandlerType.DELETE, path, handler, required(role, path));
    }

    private static Role required(Role role, String path) {
        if (role == null) {
            throw new IllegalArgumentException("route " + path + " must declare its role");
        }
        return role;
    }

    /** A route that is part of the API under {@code /api}, and also answers at the root path older clients use. */
    public void postWithRootAlias(String apiPath, Role role, Handler handler) {
        post(apiPath, role, handler);
        post(rootAlias(apiPath), role, handler);
    }

    /** See {@link #postWithRootAlias}. */
    public void getWithRootAlias(String apiPath, Role role, Handler handler) {
        get(apiPath, role, handler);
        get(rootAlias(apiPath), role, handler);
    }

    private static String rootAlias(String apiPath) {
        if (!apiPath.startsWith("/api/")) {
            throw new IllegalArgumentException("not an /api path: " + apiPath);
        }
        return apiPath.substring("/api".length());
    }
}
