package io.sluice.federation;

import io.sluice.api.MessageCode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why attaching failed. {@code code} is one of {@code ATTACH_FAILED}, {@code AUTH_FAILED},
 * {@code CONNECTION_TIMEOUT}, {@code UNSUPPORTED_TYPE}, {@code QUERY_CANCELLED}; {@code details}
 * hold {@code alias} and the database's own message as {@code reason} (never a password), and
 * where known {@code table}, {@code sqlState}, {@code vendorCode}. When it is thrown, nothing the
 * failed call attached is still attached and none of its import files remain.
 */
public final class FederationException extends Exception {

    private final MessageCode code;
    private final Map<String, Object> details;

    public FederationException(MessageCode code, Map<String, Object> details) {
        super(code.name() + " " + details);
        this.code = code;
        this.details = Map.copyOf(details);
    }

    static FederationException of(MessageCode code, String alias, String reason) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("alias", alias);
        details.put("reason", reason);
        return new FederationException(code, details);
    }

    public MessageCode code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }
}
