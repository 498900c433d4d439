package io.sluice.engine;

import java.util.regex.Pattern;

/**
 * One configured engine: its name (how requests choose it), its type and the settings its type read.
 *
 * @param <S> the type's settings record
 */
public record EngineDefinition<S extends EngineSettings>(String name, EngineType<S> type, S settings) {

    /** Engine names: letters, digits, {@code _} and {@code -}, at most 64 (they are stored with each query). */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public EngineDefinition {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad engine name: " + name);
        }
    }

    /** Opens the engine (see {@link EngineType#open}). */
    public Engine open(EngineEnvironment environment) {
        return type.open(name, settings, environment);
    }
}
