package io.sluice.query;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.AbortedException;

import java.io.IOException;
import java.io.InterruptedIOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A result store interrupted because the instance stops (or the run was cancelled or timed out) is
 * told apart from a storage fault: the first leaves the run to the instance that takes it over, the
 * second fails it with RESULT_WRITE_FAILED.
 */
class StoreInterruptionTest {

    @Test
    void interruptsAreToldApartFromStorageFaults() {
        assertThat(QueryRunner.interrupted(new IOException("publishing failed: Thread was interrupted",
                AbortedException.create("Thread was interrupted")))).isTrue();
        assertThat(QueryRunner.interrupted(new IOException("copy", new InterruptedIOException("stopping")))).isTrue();
        assertThat(QueryRunner.interrupted(new java.io.UncheckedIOException(
                new IOException(new InterruptedException("stopping"))))).isTrue();
        assertThat(QueryRunner.interrupted(new IOException("No space left on device"))).isFalse();
        assertThat(QueryRunner.interrupted(new IOException("access denied", new SecurityException("x")))).isFalse();
    }
}
