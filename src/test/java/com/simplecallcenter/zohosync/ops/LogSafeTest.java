package com.simplecallcenter.zohosync.ops;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a sender or Zoho put in a string cannot start a log line of its own. */
class LogSafeTest {

    @Test
    void lineBreaksAndOtherControlCharactersAreEscaped() {
        // an agent.id as a canonical sender may post it, forging a second line
        String agentId = "ag_1\r\n2026-11-24T10:17:05.000Z INFO  scc.admin - admin page: signed in";
        String safe = LogSafe.text(agentId);
        assertThat(safe).doesNotContain("\r").doesNotContain("\n")
                .isEqualTo("ag_1\\r\\n2026-11-24T10:17:05.000Z INFO  scc.admin - admin page: signed in");
        // a Zoho error message with an escape sequence (terminal colours), tab, NEL and the Unicode line separator
        assertThat(LogSafe.text("bad\u001b[31m\tvalue\u0085x\u2028y")).isEqualTo("bad\\u001b[31m\\tvalue\\u0085x\\u2028y");
    }

    @Test
    void ordinaryTextIsUnchanged() {
        assertThat(LogSafe.text("the given field is not available: Email (ü, 日本)")).isEqualTo("the given field is not available: Email (ü, 日本)");
        assertThat(LogSafe.text(null)).isNull();
    }
}
