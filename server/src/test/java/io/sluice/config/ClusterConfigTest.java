package io.sluice.config;

import io.sluice.Json;
import io.sluice.result.ResultFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code cluster} section, the S3 result store's settings and what several instances need. */
class ClusterConfigTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    private SluiceConfig parse(String json, Map<String, String> env) {
        return new ConfigLoader(Json.mapper(), env).parse(json, dir);
    }

    private List<String> problems(String json) {
        try {
            parse(json, Map.of());
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected a ConfigException");
    }

    @Test
    void everyProcessGetsItsOwnInstanceIdUnlessTheFileNamesOne() {
        String json = "{\"engines\": {\"duckdb\": {}}}";
        String first = parse(json, Map.of("HOSTNAME", "web-7")).server().instanceId();
        String second = parse(json, Map.of("HOSTNAME", "web-7")).server().instanceId();
        assertThat(first).startsWith("web-7-").isNotEqualTo(second);
        assertThat(parse(json, Map.of()).server().instanceId()).matches("sluice-[a-z0-9]{6}");
        assertThat(parse(json, Map.of("HOSTNAME", "x".repeat(80))).server().instanceId()).hasSize(64);
        assertThat(parse("{\"server\": {\"instanceId\": \"box-1\"}, \"engines\": {\"duckdb\": {}}}", Map.of("HOSTNAME", "web-7"))
                .server().instanceId()).isEqualTo("box-1");
    }

    @Test
    void theS3StoreIsReadWithItsSettings() {
        SluiceConfig c = parse("""
                {"results": {"store": "s3", "s3Location": "s3://team-results/sluice/", "s3Region": "eu-west-1",
                             "s3Endpoint": "http://127.0.0.1:9000", "s3PathStyle": true, "s3CacheMb": 512,
                             "linkSecret": "%s"},
                 "cluster": {"enabled": true, "leaseSeconds": 12},
                 "engines": {"duckdb": {}}}""".formatted(SECRET), Map.of());
        assertThat(c.results().store()).isEqualTo(SluiceConfig.Results.Storage.S3);
        assertThat(c.results().s3()).contains(new SluiceConfig.S3Results("s3://team-results/sluice/",
                Optional.of("eu-west-1"), URI.create("http://127.0.0.1:9000"), true, 512L * 1024 * 1024));
        assertThat(c.results().format()).isEqualTo(ResultFormat.PARQUET);
        assertThat(c.cluster()).isEqualTo(new SluiceConfig.Cluster(true, Duration.ofSeconds(12)));
    }

    @Test
    void theS3StoreNeedsAValidLocation() {
        assertThat(problems("{\"results\": {\"store\": \"s3\"}, \"engines\": {\"duckdb\": {}}}"))
                .contains("results.s3Location is required");
        assertThat(problems("""
                {"results": {"store": "s3", "s3Location": "s3://Bad_Bucket/x", "s3Region": "nowhere",
                             "s3Endpoint": "ftp://x"},
                 "engines": {"duckdb": {}}}"""))
                .anyMatch(p -> p.startsWith("results.s3Location must look like s3://bucket/prefix/"))
                .anyMatch(p -> p.startsWith("results.s3Region must be an AWS region name"))
                .anyMatch(p -> p.startsWith("results.s3Endpoint must be an http(s) URL"));
        assertThat(problems("{\"results\": {\"store\": \"nfs\"}, \"engines\": {\"duckdb\": {}}}"))
                .anyMatch(p -> p.startsWith("results.store must be one of"));
    }

    @Test
    void aClusterNeedsALinkSecretAndSharedResults() {
        List<String> problems = problems("{\"cluster\": {\"enabled\": true}, \"engines\": {\"duckdb\": {}}}");
        assertThat(problems).anyMatch(p -> p.startsWith("cluster.enabled needs results.linkSecret"));
        assertThat(problems).anyMatch(p -> p.startsWith("cluster.enabled needs results every instance can read: "
                + "results.store \"s3\", or results.dir on a shared filesystem")
                && p.contains("results.sharedFolder: true"));
        assertThat(problems("""
                {"cluster": {"enabled": true, "leaseSeconds": 1},
                 "results": {"linkSecret": "%s", "sharedFolder": true}, "engines": {"duckdb": {}}}""".formatted(SECRET)))
                .containsExactly("cluster.leaseSeconds must be between 5 and 3600, got 1");
    }

    @Test
    void aClusterStartsWithS3ResultsOrADeclaredSharedFolder() {
        SluiceConfig s3 = parse("""
                {"cluster": {"enabled": true},
                 "results": {"linkSecret": "%s", "store": "s3", "s3Location": "s3://team-results/"},
                 "engines": {"duckdb": {}}}""".formatted(SECRET), Map.of());
        assertThat(s3.cluster().enabled()).isTrue();
        SluiceConfig folder = parse("""
                {"cluster": {"enabled": true}, "results": {"linkSecret": "%s", "sharedFolder": true},
                 "engines": {"duckdb": {}}}""".formatted(SECRET), Map.of());
        assertThat(folder.results().sharedFolder()).isTrue();
    }

    @Test
    void networkFilesystemsCountAsShared() {
        for (String type : List.of("nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "efs", "lustre",
                "glusterfs", "ceph", "9p", "NFS4")) {
            assertThat(SharedFilesystem.isNetworkType(type)).as(type).isTrue();
        }
        for (String type : List.of("ext4", "xfs", "btrfs", "tmpfs", "overlay", "apfs", "ntfs", "zfs")) {
            assertThat(SharedFilesystem.isNetworkType(type)).as(type).isFalse();
        }
        assertThat(SharedFilesystem.type(dir.resolve("not/yet/created"))).isPresent();
    }
}
