package com.simplecallcenter.zohosync.phone;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Phone numbers as the whole service compares them: E.164 when libphonenumber can place the number (in the given
 * default region when it has no country code), otherwise the bare digits (internal extensions, short codes). A number
 * as someone typed it in a CRM is compared with {@link #sameNumber}.
 */
public final class PhoneNumbers {

    public static final String ANONYMOUS = "anonymous";
    private static final Set<String> ANONYMOUS_WORDS =
            Set.of("anonymous", "unknown", "private", "restricted", "withheld", "unavailable", "blocked");
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final Pattern PHONE_CHARS = Pattern.compile("[+0-9 ()\\-./\\u00A0]+([ ]*(ext\\.?|x|#)[ ]*[0-9]{1,6})?");
    private static final Pattern NON_DIGITS = Pattern.compile("[^0-9]");
    /**
     * Results of {@link #normalize}, a pure function of (number as written, region) whose libphonenumber parse is the
     * dearest step of validating an event. Every event of a call repeats the call's two numbers, and one of them is
     * usually the call centre's own, so most look-ups hit. Bounded in size and kept briefly (numbers are personal
     * data: nothing here is written anywhere, and an entry is gone within minutes).
     */
    private static final Cache<String, Optional<String>> NORMALIZED = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(10)).build();
    private static final int MAX_LENGTH = 64;

    private PhoneNumbers() {
    }

    public static boolean isAnonymous(String raw) {
        return raw != null && ANONYMOUS_WORDS.contains(raw.trim().toLowerCase(Locale.ROOT));
    }

    public static boolean isKnownRegion(String region) {
        return region != null && UTIL.getSupportedRegions().contains(region.toUpperCase(Locale.ROOT));
    }

    /**
     * The normalized form of {@code raw}: {@code anonymous}, E.164 ({@code +14155550134}), or the digits of a number
     * libphonenumber cannot place. Empty when {@code raw} holds no digits at all or characters no phone number has.
     */
    public static Optional<String> normalize(String raw, String defaultRegion) {
        if (raw == null) {
            return Optional.empty();
        }
        if (raw.length() > MAX_LENGTH || defaultRegion == null) {
            // refused below (too long) or an error as before (no region): not worth a cache entry
            return normalizeUncached(raw, defaultRegion);
        }
        return NORMALIZED.get(defaultRegion + '|' + raw, k -> normalizeUncached(raw, defaultRegion));
    }

    static Optional<String> normalizeUncached(String raw, String defaultRegion) {
        String s = raw.trim();
        if (isAnonymous(s)) {
            return Optional.of(ANONYMOUS);
        }
        if (s.isEmpty() || s.length() > MAX_LENGTH || !PHONE_CHARS.matcher(s).matches()) {
            return Optional.empty();
        }
        String digits = NON_DIGITS.matcher(s).replaceAll("");
        if (digits.isEmpty()) {
            return Optional.empty();
        }
        String candidate = withPlus(s);
        try {
            Phonenumber.PhoneNumber n = UTIL.parse(candidate, defaultRegion.toUpperCase(Locale.ROOT));
            if (UTIL.isPossibleNumber(n)) {
                return Optional.of(UTIL.format(n, PhoneNumberUtil.PhoneNumberFormat.E164));
            }
        } catch (NumberParseException ignored) {
            // falls through to the bare digits
        }
        return Optional.of(s.startsWith("+") ? "+" + digits : digits);
    }

    /** The digits of a normalized number (E.164 counts its country code): too few is an extension or a short code. */
    public static int digitCount(String normalized) {
        return normalized == null ? 0 : NON_DIGITS.matcher(normalized).replaceAll("").length();
    }

    /**
     * Whether a phone value as someone typed it in a CRM is our customer's normalized number. Punctuation and an
     * extension never matter. A value with a country code ({@code +}, {@code 00} or the default region's international
     * prefix) is compared whole; one without is the default region's number when it is a valid number there, else it
     * is read as a national number of the customer's country: {@code 07911 123456} is {@code +447911123456} even in an
     * org whose default region is US.
     */
    public static boolean sameNumber(String stored, String normalized, String defaultRegion) {
        Optional<String> asTyped = normalize(stored, defaultRegion);
        if (asTyped.isEmpty() || ANONYMOUS.equals(asTyped.get()) || normalized == null) {
            return false;
        }
        if (asTyped.get().equals(normalized)) {
            return true;
        }
        if (!normalized.startsWith("+")) {
            return false;
        }
        try {
            String region = defaultRegion.toUpperCase(Locale.ROOT);
            Phonenumber.PhoneNumber asDefault = UTIL.parseAndKeepRawInput(withPlus(stored.trim()), region);
            if (asDefault.getCountryCodeSource() != Phonenumber.PhoneNumber.CountryCodeSource.FROM_DEFAULT_COUNTRY
                    || UTIL.isValidNumber(asDefault)) {
                // its own country code, or a number of the default region: compared whole above
                return false;
            }
            Phonenumber.PhoneNumber customer = UTIL.parse(normalized, "ZZ");
            String customerRegion = UTIL.getRegionCodeForCountryCode(customer.getCountryCode());
            if (!isKnownRegion(customerRegion)) {
                return false;
            }
            Phonenumber.PhoneNumber asCustomers = UTIL.parse(stored.trim(), customerRegion);
            return asCustomers.getCountryCode() == customer.getCountryCode()
                    && UTIL.getNationalSignificantNumber(asCustomers).equals(UTIL.getNationalSignificantNumber(customer));
        } catch (NumberParseException e) {
            return false;
        }
    }

    /** {@code 0044 …} is {@code +44 …} whatever the region's own international prefix. */
    private static String withPlus(String s) {
        return s.startsWith("00") ? "+" + s.substring(2) : s;
    }

    /** The national significant digits, for searching a CRM that stores numbers as people typed them. */
    public static Optional<String> nationalDigits(String e164) {
        if (e164 == null || !e164.startsWith("+")) {
            return Optional.empty();
        }
        try {
            Phonenumber.PhoneNumber n = UTIL.parse(e164, "ZZ");
            return Optional.of(UTIL.getNationalSignificantNumber(n));
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }
}
