package com.simplecallcenter.zohosync.sync;

import com.simplecallcenter.zohosync.config.Settings;

import java.util.HashMap;
import java.util.Map;

/** Building blocks shared by the sync tests: canonical event JSON and settings. */
final class SyncFixtures {

    private SyncFixtures() {
    }

    static SyncSettings settings(String... keyValues) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return SyncSettings.from(Settings.of(m));
    }

    /** A canonical event; {@code extra} is raw JSON members appended to the object (e.g. {@code "notes":"x"}). */
    static String event(String eventId, String callId, String type, String occurredAt, String direction, String from, String to,
                        String extra) {
        return "{\"eventId\":\"" + eventId + "\",\"callId\":\"" + callId + "\",\"type\":\"" + type + "\",\"occurredAt\":\""
                + occurredAt + "\",\"direction\":\"" + direction + "\",\"from\":\"" + from + "\",\"to\":\"" + to + "\""
                + (extra == null || extra.isEmpty() ? "" : "," + extra) + "}";
    }
}
