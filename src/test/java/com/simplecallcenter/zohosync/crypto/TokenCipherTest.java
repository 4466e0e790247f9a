package com.simplecallcenter.zohosync.crypto;

import com.simplecallcenter.zohosync.support.AppHarness;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenCipherTest {

    static final byte[] KEY = Base64.getDecoder().decode(AppHarness.TOKEN_KEY);
    static final byte[] OTHER = Base64.getDecoder().decode(AppHarness.OTHER_TOKEN_KEY);

    @Test
    void sealsWithAFreshNonceAndOpensOnlyWhatWasSealedForThatColumn() {
        TokenCipher c = new TokenCipher(KEY, Optional.empty());
        byte[] a = c.seal("1000.secret", "col");
        byte[] b = c.seal("1000.secret", "col");
        assertThat(a).isNotEqualTo(b);
        assertThat(a.length).isEqualTo(1 + 12 + "1000.secret".length() + 16);
        assertThat(c.open(a, c.currentKeyId(), "col")).isEqualTo("1000.secret");
        assertThatThrownBy(() -> c.open(a, c.currentKeyId(), "other_col")).isInstanceOf(IllegalStateException.class);
        a[20] ^= 1;
        assertThatThrownBy(() -> c.open(a, c.currentKeyId(), "col")).isInstanceOf(IllegalStateException.class)
                .hasMessageNotContaining("1000.secret");
    }

    @Test
    void thePreviousKeyStillOpensAndAnUnknownKeyIsNamedById() {
        TokenCipher old = new TokenCipher(KEY, Optional.empty());
        byte[] sealed = old.seal("1000.secret", "col");
        TokenCipher rotated = new TokenCipher(OTHER, Optional.of(KEY));
        assertThat(rotated.canOpen(old.currentKeyId())).isTrue();
        assertThat(rotated.open(sealed, old.currentKeyId(), "col")).isEqualTo("1000.secret");
        TokenCipher stranger = new TokenCipher(OTHER, Optional.empty());
        assertThat(stranger.canOpen(old.currentKeyId())).isFalse();
        assertThatThrownBy(() -> stranger.open(sealed, old.currentKeyId(), "col")).hasMessageContaining(old.currentKeyId());
        assertThat(old.currentKeyId()).matches("[0-9a-f]{8}");
    }
}
