package io.sluice.usage;

import io.sluice.api.ApiException;
import io.sluice.api.MessageCode;

import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * The inclusive UTC date range of a usage request: {@code from} and {@code to} as ISO dates,
 * by default the current month. At most {@value #MAX_DAYS} days.
 */
record UsageRequest(LocalDate from, LocalDate to) {

    static final int MAX_DAYS = 3_700;

    static UsageRequest parse(String from, String to, Clock clock) {
        YearMonth month = YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
        LocalDate start = from == null || from.isBlank() ? month.atDay(1) : date("from", from);
        LocalDate end = to == null || to.isBlank() ? month.atEndOfMonth() : date("to", to);
        if (end.isBefore(start)) {
            throw new ApiException(MessageCode.INVALID_PARAMETER, Map.of("parameter", "to", "value", end.toString(),
                    "reason", "must not be before from (" + start + ")"));
        }
        if (ChronoUnit.DAYS.between(start, end) >= MAX_DAYS) {
            throw new ApiException(MessageCode.INVALID_PARAMETER, Map.of("parameter", "from",
                    "reason", "the range may span at most " + MAX_DAYS + " days"));
        }
        return new UsageRequest(start, end);
    }

    private static LocalDate date(String parameter, String text) {
        try {
            return LocalDate.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new ApiException(MessageCode.INVALID_PARAMETER, Map.of("parameter", parameter,
                    "value", text.length() > 64 ? text.substring(0, 64) + "…" : text,
                    "reason", "must be a date like 2026-11-01"));
        }
    }

    java.time.Instant start() {
        return from.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The first instant after the range. */
    java.time.Instant end() {
        return to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
