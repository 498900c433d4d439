package io.sluice.standin;

import java.util.Optional;

/** An object (or a key prefix) in S3, written {@code s3://bucket/key}. */
record S3Location(String bucket, String key) {

    /** Parses {@code s3://bucket/key}; empty when the text is not a usable S3 path. */
    static Optional<S3Location> parse(String uri) {
        if (uri == null || !uri.startsWith("s3://")) {
            return Optional.empty();
        }
        String rest = uri.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String key = slash < 0 ? "" : rest.substring(slash + 1);
        if (!bucket.matches("[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9]")) {
            return Optional.empty();
        }
        return Optional.of(new S3Location(bucket, key));
    }

    /**
     * The folder an output location names: Athena treats {@code s3://b/path} and
     * {@code s3://b/path/} alike and writes {@code s3://b/path/<id>.csv}.
     */
    S3Location asFolder() {
        return key.isEmpty() || key.endsWith("/") ? this : new S3Location(bucket, key + "/");
    }

    S3Location child(String name) {
        return new S3Location(bucket, asFolder().key + name);
    }

    S3Location withSuffix(String suffix) {
        return new S3Location(bucket, key + suffix);
    }

    String uri() {
        return "s3://" + bucket + "/" + key;
    }

    @Override
    public String toString() {
        return uri();
    }
}
