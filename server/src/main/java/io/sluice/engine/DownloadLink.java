package io.sluice.engine;

import java.net.URI;
import java.time.Instant;

/** A link to a full result file, valid until {@code expiresAt}. */
public record DownloadLink(URI url, Instant expiresAt, String fileName, boolean partial) {
}
