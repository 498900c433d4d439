package io.sluice.engine.athena;

import io.sluice.standin.AthenaStandIn;
import io.sluice.testing.AthenaFixture;
import io.sluice.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Start-up refuses a missing workgroup or an output location it cannot write, by name. */
class AthenaStartupCheckTest {

    static AthenaStandIn standIn;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        standIn = AthenaFixture.startStandIn();
    }

    @AfterAll
    static void stop() {
        standIn.close();
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode athena(com.fasterxml.jackson.databind.node.ObjectNode root) {
        return (com.fasterxml.jackson.databind.node.ObjectNode) root.get("engines").get("athena");
    }

    @Test
    void anUnknownWorkgroupStopsTheStartNamingIt() {
        assertThatThrownBy(() -> TestServer.start(dir, root -> {
            AthenaFixture.configure(root, standIn);
            athena(root).put("workgroup", "no-such-workgroup");
        }, Clock.systemUTC()).close())
                .hasMessageContaining("workgroup \"no-such-workgroup\" was not found")
                .hasMessageContaining("engines.athena.workgroup");
    }

    @Test
    void anUnwritableOutputLocationStopsTheStartNamingIt() {
        assertThatThrownBy(() -> TestServer.start(dir, root -> {
            AthenaFixture.configure(root, standIn);
            athena(root).put("outputLocation", "s3://no-such-bucket-here/results/");
        }, Clock.systemUTC()).close())
                .hasMessageContaining("s3://no-such-bucket-here/results/")
                .hasMessageContaining("is not writable");
    }

    @Test
    void aMissingBucketIsNamed() {
        assertThatThrownBy(() -> TestServer.start(dir, root -> {
            AthenaFixture.configure(root, standIn);
            athena(root).put("outputLocation", "s3://no-such-bucket-here/results/");
        }, Clock.systemUTC()).close())
                .hasMessageContaining("the bucket \"no-such-bucket-here\" does not exist");
    }

    @Test
    void aWrongSecretIsReportedAsRefusedCredentialsNotAMissingPermission() {
        String key = System.getProperty("aws.secretAccessKey");
        System.setProperty("aws.secretAccessKey", "wrong-secret");
        try {
            assertThatThrownBy(() -> TestServer.start(dir, root -> AthenaFixture.configure(root, standIn),
                    Clock.systemUTC()).close())
                    .hasMessageContaining("not writable")
                    .hasMessageContaining("the AWS credentials were refused (SignatureDoesNotMatch)")
                    .hasMessageNotContaining("permission");
        } finally {
            System.setProperty("aws.secretAccessKey", key);
        }
    }

    @Test
    void anUnknownAccessKeyIsReportedAsRefusedCredentials() {
        String key = System.getProperty("aws.accessKeyId");
        System.setProperty("aws.accessKeyId", "AKIAUNKNOWNKEY000000");
        try {
            assertThatThrownBy(() -> TestServer.start(dir, root -> AthenaFixture.configure(root, standIn),
                    Clock.systemUTC()).close())
                    .hasMessageContaining("the AWS credentials were refused (InvalidAccessKeyId)");
        } finally {
            System.setProperty("aws.accessKeyId", key);
        }
    }

    @Test
    void athenaRefusingGetWorkGroupWithHttp400NamesThePermission() {
        standIn.faults().deny("GetWorkGroup");
        try {
            assertThatThrownBy(() -> TestServer.start(dir, root -> AthenaFixture.configure(root, standIn),
                    Clock.systemUTC()).close())
                    .hasMessageContaining("cannot read Athena workgroup \"primary\"")
                    .hasMessageContaining("permission athena:GetWorkGroup is missing (AccessDeniedException)")
                    .hasMessageNotContaining("was not found");
        } finally {
            standIn.faults().reset();
        }
    }

    @Test
    void aRefusedProbeWriteNamesS3PutObject() {
        standIn.faults().deny("s3:PutObject");
        try {
            assertThatThrownBy(() -> TestServer.start(dir, root -> AthenaFixture.configure(root, standIn),
                    Clock.systemUTC()).close())
                    .hasMessageContaining("is not writable: permission s3:PutObject is missing (AccessDenied)");
        } finally {
            standIn.faults().reset();
        }
    }

    @Test
    void aRefusedProbeDeleteNamesS3DeleteObject() {
        standIn.faults().deny("s3:DeleteObject");
        try {
            assertThatThrownBy(() -> TestServer.start(dir, root -> AthenaFixture.configure(root, standIn),
                    Clock.systemUTC()).close())
                    .hasMessageContaining("accepts writes but the probe")
                    .hasMessageContaining("permission s3:DeleteObject is missing (AccessDenied)");
        } finally {
            standIn.faults().reset();
        }
    }
}
