package io.sluice.standin;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * s3proxy and its relocated Jetty log every request at DEBUG, which Logback shows when nothing
 * configures them. When Logback is the back end and no level was set for them, they are raised
 * to WARN; a consumer's explicit configuration is left alone.
 */
final class LogQuieter {
    private static final String[] NOISY = {"org.gaul"};

    private LogQuieter() {
    }

    static void quietDependencies() {
        try {
            for (String name : NOISY) {
                org.slf4j.Logger logger = LoggerFactory.getLogger(name);
                if (logger instanceof Logger logback && logback.getLevel() == null) {
                    logback.setLevel(Level.WARN);
                }
            }
        } catch (LinkageError absent) {
            // Logback is optional; with another back end its configuration decides.
        }
    }
}
