package io.sluice.aws;

/** A parsed {@code s3://bucket/key} location: Athena's output location, the S3 result store's. */
public record S3Location(String bucket, String key) {

    public static S3Location parse(String uri) {
        if (uri == null || !uri.startsWith("s3://")) {
            throw new IllegalArgumentException("not an s3:// location: " + uri);
        }
        String rest = uri.substring("s3://".length());
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            return new S3Location(rest, "");
        }
        return new S3Location(rest.substring(0, slash), rest.substring(slash + 1));
    }

    public S3Location sibling(String suffix) {
        return new S3Location(bucket, key + suffix);
    }

    public String fileName() {
        int slash = key.lastIndexOf('/');
        return slash < 0 ? key : key.substring(slash + 1);
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }
}
