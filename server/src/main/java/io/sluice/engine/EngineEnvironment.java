package io.sluice.engine;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Clock;

/**
 * What Sluice hands an {@link EngineType} to open an engine with.
 *
 * @param json  the one JSON mapper (for files an engine reads, such as a price list)
 * @param clock the one clock (tests control time through it)
 */
public record EngineEnvironment(ObjectMapper json, Clock clock) {
}
