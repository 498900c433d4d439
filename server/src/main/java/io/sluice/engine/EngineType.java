package io.sluice.engine;

import io.sluice.config.ConfigSection;

/**
 * A kind of engine, named by the {@code type} of an {@code engines.<name>} configuration section.
 * Adding a kind of engine is one package with its engine, its settings record and its type, and one
 * entry in {@link EngineTypes}.
 *
 * @param <S> the type's settings record
 */
public interface EngineType<S extends EngineSettings> {

    /** The type's name in the configuration, e.g. {@code duckdb}. */
    String name();

    /**
     * Reads the settings of one engine of this type from its configuration section. Every invalid
     * value is reported through {@link ConfigSection#problem} (all of them, not only the first) and
     * answered with its default; unread keys are reported as unknown by the caller.
     */
    S settings(ConfigSection section);

    /**
     * Opens the engine {@code name} with settings this type read. Called once per configured engine
     * at start-up; a failure stops the start with a message naming what is wrong.
     */
    Engine open(String name, S settings, EngineEnvironment environment);
}
