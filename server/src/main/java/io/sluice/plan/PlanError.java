package io.sluice.plan;

import io.sluice.api.MessageCode;

import java.util.Map;

/** Why a plan or a step did not succeed: a message code and its details (never a password). */
public record PlanError(MessageCode code, Map<String, Object> details) {

    public PlanError {
        details = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
    }
}
