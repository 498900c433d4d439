package io.sluice.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.metrics.MetricPublisher;

import java.time.Clock;
import java.util.List;

/**
 * What Sluice hands an {@link EngineType} to open an engine with.
 *
 * @param json  the one JSON mapper (for files an engine reads, such as a price list)
 * @param clock the one clock (tests control time through it)
 * @param awsCalls told of every call an engine's AWS SDK clients make (the metrics), none if empty
 * @param instanceId this process's instance id: engines name it to remote services (the AWS user agent),
 *                   so a service's own logs show which instance made each call
 */
public record EngineEnvironment(ObjectMapper json, Clock clock, List<MetricPublisher> awsCalls, String instanceId) {
}
