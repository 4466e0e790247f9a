package com.simplecallcenter.zohosync.phone;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Phone numbers as the whole service compares them: E.164 when libphonenumber can place the number (in the given
 * default region when it has no country code), otherwise the bare digits (internal extensions, short codes).
 */
public final class PhoneNumbers {

    public static final String ANONYMOUS = "anonymous";
    private static final Set<String> ANONYMOUS_WORDS =
            Set.of("anonymous", "unknown", "private", "restricted", "withheld", "unavailable", "blocked");
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final Pattern PHONE_CHARS = Pattern.compile("[+0-9 ()\\-./\\u00A0]+([ ]*(ext\\.?|x|#)[ ]*[0-9]{1,6})?");
    private static final Pattern NON_DIGITS = Pattern.compile("[^0-9]");

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
        String s = raw.trim();
        if (isAnonymous(s)) {
            return Optional.of(ANONYMOUS);
        }
        if (s.isEmpty() || s.length() > 64 || !PHONE_CHARS.matcher(s).matches()) {
            return Optional.empty();
        }
        String digits = NON_DIGITS.matcher(s).replaceAll("");
        if (digits.isEmpty()) {
            return Optional.empty();
        }
        String candidate = s.startsWith("00") ? "+" + s.substring(2) : s;
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
