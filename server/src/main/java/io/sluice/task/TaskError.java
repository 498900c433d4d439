package io.sluice.task;

import io.sluice.api.MessageCode;

import java.util.Map;

/** Why a task did not succeed: a message code and its details (never a password). */
public record TaskError(MessageCode code, Map<String, Object> details) {

    public TaskError {
        details = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
    }
}
