package com.simplecallcenter.zohosync.providers;

import com.simplecallcenter.zohosync.inbox.CallEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Twilio's event identity comes from the signed parameters only, never from the unsigned idempotency header. */
class TwilioEventIdTest {

    final TwilioAdapter adapter = new TwilioAdapter(Clock.systemUTC());

    /** A captured status callback (conformance corpus), without SequenceNumber as Twilio's first voice request comes. */
    static String formWithoutSequenceNumber() throws Exception {
        String form = Files.readString(Path.of("src/test/resources/conformance/twilio/inbound-completed.form")).strip();
        return form.replace("&SequenceNumber=0", "");
    }

    static ProviderRequest request(String form, String idempotencyToken) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", "application/x-www-form-urlencoded");
        headers.put("X-Twilio-Signature", "checked-before-the-adapter");
        if (idempotencyToken != null) {
            headers.put("I-Twilio-Idempotency-Token", idempotencyToken);
        }
        return new ProviderRequest("twilio", form.getBytes(StandardCharsets.UTF_8), headers, "/api/v1/webhooks/twilio", "", "US",
                ZoneOffset.UTC);
    }

    @Test
    void theUnsignedIdempotencyHeaderDoesNotMakeANewEvent() throws Exception {
        String form = formWithoutSequenceNumber();
        List<String> ids = List.of(
                adapter.adapt(request(form, "f7b2c1d0-0000-4000-8000-000000000001")).get(0).eventId(),
                adapter.adapt(request(form, "f7b2c1d0-0000-4000-8000-000000000002")).get(0).eventId(),
                adapter.adapt(request(form, null)).get(0).eventId());
        assertThat(ids).containsOnly("twilio:CAefeb0c6d4468a39213da60f1b25159cd:completed");
    }

    @Test
    void withSequenceNumberTheIdIsCallSidAndSequence() throws Exception {
        String form = Files.readString(Path.of("src/test/resources/conformance/twilio/inbound-completed.form")).strip();
        CallEvent e = adapter.adapt(request(form, "any-token")).get(0);
        assertThat(e.eventId()).isEqualTo("twilio:CAefeb0c6d4468a39213da60f1b25159cd:0");
    }
}
