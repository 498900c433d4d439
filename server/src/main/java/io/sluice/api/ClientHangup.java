package io.sluice.api;

import io.javalin.http.Context;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Notices that the client of a request still being answered has hung up, so long work done for
 * that request alone (a synchronous query) can be stopped instead of running on unseen.
 *
 * <p>HTTP/1.1 gives a server no event for a client that closes its connection while the server is
 * still working: Jetty reads the connection again only once the response is sent. This watch asks
 * the connection to tell it when it becomes readable; a read that finds the end of the stream means
 * the client is gone. {@link #stop()} must be called before the response is written, so Jetty can
 * read the connection's next request itself. (A client that pipelines a further request behind an
 * unanswered synchronous one loses that request's first byte; HTTP clients and proxies do not
 * pipeline POSTs.)
 */
public final class ClientHangup {

    private static final Logger LOG = LoggerFactory.getLogger(ClientHangup.class);

    private final EndPoint endPoint;
    private final Runnable onHangup;
    private final AtomicBoolean active = new AtomicBoolean(true);

    private ClientHangup(EndPoint endPoint, Runnable onHangup) {
        this.endPoint = endPoint;
        this.onHangup = onHangup;
    }

    /**
     * Watches the connection of {@code ctx}; {@code onHangup} runs (once, on a Jetty thread) if the
     * client closes it before {@link #stop()}.
     */
    public static ClientHangup watch(Context ctx, Runnable onHangup) {
        EndPoint endPoint = ServletContextRequest.getServletContextRequest(ctx.req())
                .getConnectionMetaData().getConnection().getEndPoint();
        ClientHangup watch = new ClientHangup(endPoint, onHangup);
        watch.listen();
        return watch;
    }

    private void listen() {
        if (!active.get()) {
            return;
        }
        boolean registered = endPoint.tryFillInterested(new Callback() {
            @Override
            public void succeeded() {
                readable();
            }

            @Override
            public void failed(Throwable cause) {
                if (cause instanceof TimeoutException) {
                    listen(); // the connection's idle timeout: the client may still be waiting
                }
            }
        });
        if (!registered) {
            LOG.debug("the connection is already being read; client hang-ups go unnoticed for this request");
        }
    }

    private void readable() {
        if (!active.get()) {
            return;
        }
        ByteBuffer probe = BufferUtil.allocate(1);
        int read;
        try {
            read = endPoint.fill(probe);
        } catch (IOException e) {
            read = -1;
        }
        if (read < 0) {
            if (active.compareAndSet(true, false)) {
                onHangup.run();
            }
        } else if (read == 0) {
            listen();
        }
        // read > 0: the client sent more (pipelining); stop watching rather than read its request.
    }

    /** Stops watching; call before writing the response. Idempotent. */
    public void stop() {
        if (active.compareAndSet(true, false) && endPoint instanceof AbstractEndPoint ep) {
            ep.getFillInterest().onFail(new CancellationException("the response is being written"));
        }
    }
}
