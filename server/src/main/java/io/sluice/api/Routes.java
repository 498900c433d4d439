package io.sluice.api;

/** A feature's HTTP routes: one small handler per endpoint, registered with its role. */
public interface Routes {
    void register(RouteTable table);
}
