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
    void masksKeepTooLittleToRecoverTheValue() {
        assertThat(Mask.phone("+14155550134")).isEqualTo("+1415*****34").doesNotContain("5550");
        assertThat(Mask.email("pat.lee@example.com")).isEqualTo("p***@e***.com");
        assertThat(Mask.phone(null)).isEqualTo("-");
    }
}
