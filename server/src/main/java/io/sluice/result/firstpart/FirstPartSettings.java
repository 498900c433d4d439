package io.sluice.result.firstpart;

/**
 * When a result's first part is published: once {@code rows} data rows or {@code bytes} bytes of
 * the engine's CSV are read, whichever comes first ({@code results.firstPartRows},
 * {@code results.firstPartBytes}). Either at 0 turns first parts off.
 */
public record FirstPartSettings(int rows, int bytes) {

    public static final FirstPartSettings DEFAULT = new FirstPartSettings(10_000, 4 << 20);
    public static final FirstPartSettings OFF = new FirstPartSettings(0, 0);

    public boolean enabled() {
        return rows > 0 && bytes > 0;
    }
}
