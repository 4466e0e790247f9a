package com.simplecallcenter.zohosync.phone;

import com.simplecallcenter.zohosync.ops.Mask;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PhoneNumbersTest {

    @Test
    void commonFormatsOfOneNumberNormalizeToTheSameE164() {
        for (String raw : new String[]{"+1 (415) 555-0134", "+14155550134", "(415) 555-0134", "415.555.0134", "001 415 555 0134", "1-415-555-0134"}) {
            assertThat(PhoneNumbers.normalize(raw, "US")).as(raw).contains("+14155550134");
        }
    }

    @Test
    void nationalNumbersAreReadInTheDefaultRegion() {
        assertThat(PhoneNumbers.normalize("030 1234567", "DE")).contains("+49301234567");
        assertThat(PhoneNumbers.normalize("020 7946 0958", "GB")).contains("+442079460958");
    }

    @Test
    void anonymousWordsAndUnplaceableDigits() {
        assertThat(PhoneNumbers.normalize("Anonymous", "US")).contains("anonymous");
        assertThat(PhoneNumbers.normalize("restricted", "US")).contains("anonymous");
        assertThat(PhoneNumbers.normalize("1001", "US")).contains("1001");
        assertThat(PhoneNumbers.normalize("call me", "US")).isEmpty();
        assertThat(PhoneNumbers.normalize("", "US")).isEmpty();
        assertThat(PhoneNumbers.normalize("+1 415 555 0134 ext. 12", "US")).isPresent();
    }

    @Test
    void nationalDigitsOfAnE164Number() {
        assertThat(PhoneNumbers.nationalDigits("+14155550134")).contains("4155550134");
        assertThat(PhoneNumbers.nationalDigits("1001")).isEmpty();
    }

    @Test
    void aStoredNumberIsOursWhateverItsPunctuationOrExtension() {
        for (String stored : new String[]{"415.555.0199", "415 555 0199", "(415)555-0199", "1.415.555.0199",
                "+1 (415) 555-0199 ext. 12", "415-555-0199 x12", "011 1 415 555 0199", "001 415 555 0199"}) {
            assertThat(PhoneNumbers.sameNumber(stored, "+14155550199", "US")).as(stored).isTrue();
        }
        // what Zoho's contains search also returns, but is another number
        assertThat(PhoneNumbers.sameNumber("415.555.01990", "+14155550199", "US")).isFalse();
        assertThat(PhoneNumbers.sameNumber("415.555.0198", "+14155550199", "US")).isFalse();
        assertThat(PhoneNumbers.sameNumber("call me", "+14155550199", "US")).isFalse();
    }

    @Test
    void aNationalFormWithoutCountryCodeIsReadInTheCustomersCountry() {
        // a UK mobile typed the British way in an org whose default region is US
        assertThat(PhoneNumbers.sameNumber("07911 123456", "+447911123456", "US")).isTrue();
        assertThat(PhoneNumbers.sameNumber("07911-123-456", "+447911123456", "US")).isTrue();
        assertThat(PhoneNumbers.sameNumber("7911 123456", "+447911123456", "US")).isTrue();
        assertThat(PhoneNumbers.sameNumber("011 44 7911 123456", "+447911123456", "US")).isTrue();
        assertThat(PhoneNumbers.sameNumber("06 12 34 56 78", "+33612345678", "US")).isTrue();
        // with a country code the number is compared whole: the same national digits elsewhere are another number
        assertThat(PhoneNumbers.sameNumber("+44 7911 123456", "+337911123456", "US")).isFalse();
        assertThat(PhoneNumbers.sameNumber("+1 415 555 0199", "+444155550199", "GB")).isFalse();
        // a valid number of the default region is that region's, not the same digits in the customer's country
        assertThat(PhoneNumbers.sameNumber("020 7946 0018", "+12079460018", "GB")).isFalse();
        assertThat(PhoneNumbers.sameNumber("207 946 0018", "+12079460018", "GB")).isFalse();
        assertThat(PhoneNumbers.sameNumber("207 946 0018", "+442079460018", "GB")).isTrue();
        assertThat(PhoneNumbers.sameNumber("415 555 0199", "+444155550199", "US")).isFalse();
    }

    @Test
    void unplaceableNumbersAreComparedByTheirDigitsAndCounted() {
        assertThat(PhoneNumbers.sameNumber("20-45", "2045", "US")).isTrue();
        assertThat(PhoneNumbers.sameNumber("2045", "+14155550199", "US")).isFalse();
        assertThat(PhoneNumbers.digitCount("2045")).isEqualTo(4);
        assertThat(PhoneNumbers.digitCount("+14155550199")).isEqualTo(11);
        assertThat(PhoneNumbers.digitCount(null)).isZero();
    }

    @Test
    void masksKeepTooLittleToRecoverTheValue() {
        assertThat(Mask.phone("+14155550134")).isEqualTo("+1415*****34").doesNotContain("5550");
        assertThat(Mask.email("pat.lee@example.com")).isEqualTo("p***@e***.com");
        assertThat(Mask.phone(null)).isEqualTo("-");
    }

    @Test
    void cachedResultsAreThoseOfTheUncachedNormalizationAndTheRegionIsPartOfTheKey() {
        String[] numbers = {"+1 (415) 555-0134", "415-555-0134", "030 1234567", "0044 20 7946 0958", "2045", "Anonymous",
                " +14155550100 ", "07911 123456", "abc", "", "+", "415.555.0134 ext. 12", "1".repeat(65)};
        for (String region : new String[] {"US", "DE", "GB", "us"}) {
            for (String n : numbers) {
                // asked twice: the second answer comes from the cache and must be the same as computing it afresh
                assertThat(PhoneNumbers.normalize(n, region)).as(n + " in " + region).isEqualTo(PhoneNumbers.normalizeUncached(n, region));
                assertThat(PhoneNumbers.normalize(n, region)).as(n + " in " + region).isEqualTo(PhoneNumbers.normalizeUncached(n, region));
            }
        }
        // one number as written, two regions: two answers, not the first one cached for both
        assertThat(PhoneNumbers.normalize("030 1234567", "DE")).contains("+49301234567");
        assertThat(PhoneNumbers.normalize("030 1234567", "US")).isNotEqualTo(PhoneNumbers.normalize("030 1234567", "DE"));
    }
}
