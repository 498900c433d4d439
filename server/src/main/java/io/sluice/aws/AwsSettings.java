package io.sluice.aws;

import java.net.URI;
import java.util.regex.Pattern;

/** How AWS settings in the configuration are checked: S3 locations, region names, endpoint overrides. */
public final class AwsSettings {

    /** {@code s3://bucket/prefix/}: a valid bucket name, a prefix ending in {@code /} (or none). */
    public static final Pattern S3_LOCATION = Pattern.compile("s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/([^\\s]*/)?");
    /** An AWS region name such as {@code us-east-1}. */
    public static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");

    private AwsSettings() {
    }

    /**
     * An endpoint override: an http(s) URL with a host.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static URI endpoint(String text) {
        URI uri = URI.create(text);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("not an http(s) URL");
        }
        return uri;
    }
}
