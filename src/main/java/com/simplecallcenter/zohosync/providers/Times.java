package com.simplecallcenter.zohosync.providers;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The time formats providers send, each read into an {@link OffsetDateTime}; a 400 problem when unreadable. */
public final class Times {

    /** {@code 2026-11-24 10:15:00} or {@code 2026-11-24T10:15:00}, optional fraction (Asterisk calldate, 3CX local). */
    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd")
            .optionalStart().appendLiteral(' ').optionalEnd()
            .optionalStart().appendLiteral('T').optionalEnd()
            .appendPattern("HH:mm")
            .optionalStart().appendPattern(":ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalEnd()
            .toFormatter();

    /**
     * A day-first or month-first date with a time, as a PBX's locale prints it: {@code 06.12.2023 10:15},
     * {@code 6/12/2023 10:15:00}, {@code 12/6/2023 10:15:00 AM}, {@code 06-12-2023 10:15}.
     */
    private static final Pattern NUMERIC = Pattern.compile(
            "(\\d{1,2})([./-])(\\d{1,2})\\2(\\d{4})[ T,]+(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d{1,9}))?)?\\s*([AaPp]\\.?[Mm]\\.?)?");

    /** Regions whose clocks print the month first ({@code 12/6/2023} is December 6th). */
    private static final Set<String> MONTH_FIRST = Set.of("US", "CA", "PH", "PR", "GU", "VI", "AS", "MP", "UM", "FM", "MH", "PW");

    private Times() {
    }

    /** Now, to the second, in UTC: the arrival time of an event whose payload carries none. */
    static OffsetDateTime now(Clock clock) {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).withNano(0);
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
        return localIn(s, zone, null, field);
    }

    /**
     * Like {@link #isoIn}, and also a locale's numeric date with a time read in {@code zone}: with dots always day
     * first ({@code 06.12.2023 10:15}); with slashes or dashes month first in {@code region}s that write it so (US,
     * Canada, the Philippines…) and day first elsewhere, unless one of the two numbers is above 12; {@code AM}/{@code PM}
     * allowed.
     */
    public static OffsetDateTime localIn(String s, ZoneId zone, String region, String field) {
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
        LocalDateTime local;
        try {
            local = LocalDateTime.parse(t, LOCAL);
        } catch (DateTimeParseException e) {
            local = numeric(t, region);
            if (local == null) {
                throw Payloads.invalid(field, "must be a date-time such as 2026-11-24 10:15:00, 2026-11-24T10:15:00Z or 24.11.2026 10:15");
            }
        }
        // a local time that does not exist (DST gap) moves forward; an ambiguous one takes the earlier offset
        return local.atZone(zone).toOffsetDateTime();
    }

    private static LocalDateTime numeric(String t, String region) {
        Matcher m = NUMERIC.matcher(t);
        if (!m.matches()) {
            return null;
        }
        int a = Integer.parseInt(m.group(1));
        int b = Integer.parseInt(m.group(3));
        boolean monthFirst = !m.group(2).equals(".") && region != null && MONTH_FIRST.contains(region.toUpperCase(Locale.ROOT));
        if (a > 12 && b <= 12) {
            monthFirst = false;
        } else if (b > 12 && a <= 12) {
            monthFirst = true;
        }
        int hour = Integer.parseInt(m.group(5));
        String ampm = m.group(9);
        if (ampm != null) {
            if (hour < 1 || hour > 12) {
                return null;
            }
            boolean pm = Character.toLowerCase(ampm.charAt(0)) == 'p';
            hour = hour % 12 + (pm ? 12 : 0);
        }
        int nanos = 0;
        if (m.group(8) != null) {
            nanos = Integer.parseInt((m.group(8) + "000000000").substring(0, 9));
        }
        try {
            return LocalDateTime.of(Integer.parseInt(m.group(4)), monthFirst ? a : b, monthFirst ? b : a, hour,
                    Integer.parseInt(m.group(6)), m.group(7) == null ? 0 : Integer.parseInt(m.group(7)), nanos);
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }
}
