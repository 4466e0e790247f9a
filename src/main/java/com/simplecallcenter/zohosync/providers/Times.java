package com.simplecallcenter.zohosync.providers;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/** The time formats providers send, each read into an {@link OffsetDateTime}; a 400 problem when unreadable. */
public final class Times {

    /** {@code 2026-11-24 10:15:00} or {@code 2026-11-24T10:15:00}, optional fraction (Asterisk calldate, 3CX local). */
    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd")
            .optionalStart().appendLiteral(' ').optionalEnd()
            .optionalStart().appendLiteral('T').optionalEnd()
            .appendPattern("HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();

    private Times() {
    }

    /** Unix seconds in UTC (Aircall). */
    public static OffsetDateTime unixSeconds(long seconds) {
        return Instant.ofEpochSecond(seconds).atOffset(ZoneOffset.UTC);
    }

    /** RFC 2822, e.g. {@code Tue, 14 Apr 2026 14:27:14 +0000} (Twilio). */
    public static OffsetDateTime rfc2822(String s, String field) {
        try {
            return OffsetDateTime.parse(s.trim().replaceAll("\\s+", " "), DateTimeFormatter.RFC_1123_DATE_TIME);
        } catch (DateTimeParseException e) {
            throw Payloads.invalid(field, "must be an RFC 2822 date such as 'Tue, 14 Apr 2026 14:27:14 +0000'");
        }
    }

    /** ISO-8601 with an offset or {@code Z} (RingCentral, Vonage, 3CX UTC variables); zone-less means UTC. */
    public static OffsetDateTime isoUtc(String s, String field) {
        return isoIn(s, ZoneOffset.UTC, field);
    }

    /** ISO-8601 with an offset, or a zone-less local time read in {@code zone} (Asterisk calldate, 3CX local time). */
    public static OffsetDateTime isoIn(String s, ZoneId zone, String field) {
        String t = s.trim();
        try {
            return OffsetDateTime.parse(t);
        } catch (DateTimeParseException ignored) {
            // zone-less
        }
        try {
            return OffsetDateTime.parse(t.replace(' ', 'T'));
        } catch (DateTimeParseException ignored) {
            // zone-less
        }
        try {
            LocalDateTime local = LocalDateTime.parse(t, LOCAL);
            // a local time that does not exist (DST gap) moves forward; an ambiguous one takes the earlier offset
            return local.atZone(zone).toOffsetDateTime();
        } catch (DateTimeParseException e) {
            throw Payloads.invalid(field, "must be a date-time such as 2026-11-24 10:15:00 or 2026-11-24T10:15:00Z");
        }
    }
}
