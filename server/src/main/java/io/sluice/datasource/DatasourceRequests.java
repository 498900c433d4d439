package io.sluice.datasource;

import io.sluice.api.ApiException;
import io.sluice.api.MessageCode;
import io.sluice.api.RequestBody;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads datasource request bodies strictly: unknown fields, wrong types and values outside their
 * rules answer 400 before anything is stored, and no answer ever repeats a password.
 */
final class DatasourceRequests {

    /** A datasource id: 1..64 of lower-case letters, digits, '_' and '-', starting with a letter or digit. */
    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    static final Set<String> CREATE_FIELDS = Set.of("id", "type", "params", "shared");
    static final Set<String> UPDATE_FIELDS = Set.of("type", "params", "shared");
    private static final Set<String> NETWORK_PARAMS = Set.of("host", "port", "database", "user", "password", "sslMode");
    private static final Set<String> SQLITE_PARAMS = Set.of("path");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._-]{0,252})|\\[[0-9A-Fa-f:.]{2,45}\\]");
    private static final Pattern DATABASE = Pattern.compile("[A-Za-z0-9_$][A-Za-z0-9_$.-]{0,127}");
    private static final int MAX_TEXT = 255;
    private static final int MAX_PASSWORD = 1024;
    private static final int MAX_PATH = 4096;

    private DatasourceRequests() {
    }

    static boolean isId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** The id of a create request. */
    static String id(RequestBody body) {
        String id = body.string("id");
        if (id == null || id.isEmpty()) {
            throw invalid("id", "is required");
        }
        if (!isId(id)) {
            throw invalid("id", "must be 1..64 characters of a-z, 0-9, '_' and '-', starting with a letter or digit");
        }
        return id;
    }

    /**
     * The type, params, password and sharing of a create or update request (a missing password:
     * none on create, the stored one kept on update).
     */
    static DatasourceInput input(RequestBody body) {
        String typeName = body.string("type");
        if (typeName == null || typeName.isEmpty()) {
            throw invalid("type", "is required: one of " + DatasourceType.apiNames());
        }
        DatasourceType type = DatasourceType.fromApiName(typeName).orElseThrow(() ->
                new ApiException(MessageCode.UNSUPPORTED_TYPE, Map.of("field", "type",
                        "type", typeName.length() > 64 ? typeName.substring(0, 64) + "…" : typeName,
                        "supported", DatasourceType.apiNames())));
        RequestBody params = body.object("params", type.networked() ? NETWORK_PARAMS : SQLITE_PARAMS);
        if (params == null) {
            throw invalid("params", "is required");
        }
        Boolean shared = body.bool("shared");
        if (type == DatasourceType.SQLITE) {
            String path = required(params, "path", MAX_PATH);
            if (path.indexOf('?') >= 0 || path.indexOf('#') >= 0) {
                throw invalid("params.path", "must not contain '?' or '#'");
            }
            return new DatasourceInput(type, DatasourceParams.file(path), Optional.empty(), shared);
        }
        String host = required(params, "host", MAX_TEXT);
        if (!HOST.matcher(host).matches()) {
            throw invalid("params.host", "must be a host name or an IP address (IPv6 in brackets)");
        }
        Integer port = params.integer("port");
        if (port != null && (port < 1 || port > 65535)) {
            throw invalid("params.port", "must be between 1 and 65535");
        }
        String database = required(params, "database", 128);
        if (!DATABASE.matcher(database).matches()) {
            throw invalid("params.database", "must be 1..128 characters of letters, digits, '_', '$', '.' and '-'");
        }
        String user = required(params, "user", MAX_TEXT);
        String password = params.string("password");
        if (password != null && password.length() > MAX_PASSWORD) {
            throw invalid("params.password", "must be at most " + MAX_PASSWORD + " characters");
        }
        if (password != null && hasControl(password)) {
            throw invalid("params.password", "must not contain control characters");
        }
        String ssl = params.string("sslMode");
        DatasourceParams.SslMode sslMode = null;
        if (ssl != null) {
            sslMode = DatasourceParams.SslMode.fromApiName(ssl).orElseThrow(() -> invalid("params.sslMode",
                    "must be one of disable, prefer, require, verify-ca, verify-full"));
        }
        return new DatasourceInput(type, DatasourceParams.network(host, port == null ? type.defaultPort() : port,
                database, user, sslMode), Optional.ofNullable(password), shared);
    }

    private static String required(RequestBody params, String field, int max) {
        String value = params.string(field);
        if (value == null || value.isEmpty()) {
            throw invalid("params." + field, "is required");
        }
        if (value.length() > max) {
            throw invalid("params." + field, "must be at most " + max + " characters");
        }
        if (hasControl(value)) {
            throw invalid("params." + field, "must not contain control characters");
        }
        return value;
    }

    private static boolean hasControl(String text) {
        return text.chars().anyMatch(Character::isISOControl);
    }

    private static ApiException invalid(String field, String reason) {
        return new ApiException(MessageCode.INVALID_FIELD, Map.of("field", field, "reason", reason));
    }
}
