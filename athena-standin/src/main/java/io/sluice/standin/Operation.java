package io.sluice.standin;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One Athena API operation: its JSON input in, its JSON output out, or an {@link AthenaException}. */
@FunctionalInterface
interface Operation {
    ObjectNode handle(JsonRequest request) throws Exception;
}
