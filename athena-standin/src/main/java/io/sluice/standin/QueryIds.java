package io.sluice.standin;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Lower-case version-4 UUIDs for query ids. They need to be unique, not unguessable, so they come
 * from {@link ThreadLocalRandom} rather than {@link UUID#randomUUID()}, whose shared SecureRandom
 * serialises concurrent submissions.
 */
final class QueryIds {
    private QueryIds() {
    }

    static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = random.nextLong() & ~0xF000L | 0x4000L;
        long least = random.nextLong() & ~(0xC000L << 48) | (0x8000L << 48);
        return new UUID(most, least).toString();
    }
}
