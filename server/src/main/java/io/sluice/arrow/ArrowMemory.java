package io.sluice.arrow;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's Arrow memory: off-heap buffers for results that move from an engine to the result
 * store as Arrow batches. Arrow needs the JVM option {@code --add-opens=java.base/java.nio=ALL-UNNAMED}
 * (the jar's manifest carries it for {@code java -jar}); without it {@link #available()} is false
 * and results move row by row instead, more slowly but the same.
 */
public final class ArrowMemory {

    private static final Logger LOG = LoggerFactory.getLogger(ArrowMemory.class);
    private static final RootAllocator ROOT = open();

    private ArrowMemory() {
    }

    private static RootAllocator open() {
        try {
            return new RootAllocator();
        } catch (Throwable e) { // ExceptionInInitializerError / NoClassDefFoundError when java.nio is not opened
            LOG.warn("Arrow is not available ({}); results are stored row by row. "
                    + "Start Java with --add-opens=java.base/java.nio=ALL-UNNAMED", e.toString());
            return null;
        }
    }

    /** Whether Arrow can be used in this process. */
    public static boolean available() {
        return ROOT != null;
    }

    /** An allocator for one transfer; closing it checks that everything it gave out was released. */
    public static BufferAllocator child(String name) {
        if (ROOT == null) {
            throw new IllegalStateException("Arrow is not available");
        }
        return ROOT.newChildAllocator(name, 0, Long.MAX_VALUE);
    }
}
