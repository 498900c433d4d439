package io.sluice.api;

import io.javalin.http.Context;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;

/** Writes the standard envelope, with the message in the caller's language. */
public final class Responder {

    private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    private final Messages messages;
    private final Clock clock;

    public Responder(Messages messages, Clock clock) {
        this.messages = messages;
        this.clock = clock;
    }

    public void ok(Context ctx, MessageCode code, Object data) {
        reply(ctx, code.status(), code, code.name(), data);
    }

    /** A success whose text differs from its code's usual one (e.g. "cancellation submitted"). */
    public void reply(Context ctx, int status, MessageCode code, String messageKey, Object data) {
        Locale locale = locale(ctx);
        String message = messages.text(locale, messageKey);
        ctx.status(status).json(new Envelope(true, data == null ? Map.of() : data, null, code.name(), message,
                timestamp()));
    }

    public void error(Context ctx, ApiException e) {
        ctx.status(e.status()).json(errorEnvelope(locale(ctx), e));
    }

    /** The error envelope of {@code e} in {@code locale}, for writers that have no Javalin context. */
    Envelope errorEnvelope(Locale locale, ApiException e) {
        String message = messages.text(locale, e.messageKey(), e.args());
        Envelope.ErrorBody body = new Envelope.ErrorBody(e.code().name(), message, e.details());
        return new Envelope(false, e.data(), body, e.code().name(), message, timestamp());
    }

    public Locale locale(Context ctx) {
        return locale(ctx.header("Accept-Language"));
    }

    /** The catalog locale for an {@code Accept-Language} value; the server's default when null. */
    Locale locale(String acceptLanguage) {
        return messages.resolve(acceptLanguage);
    }

    public String timestamp() {
        return format(clock.instant());
    }

    public static String format(Instant instant) {
        return instant == null ? null : ISO_MILLIS.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }
}
