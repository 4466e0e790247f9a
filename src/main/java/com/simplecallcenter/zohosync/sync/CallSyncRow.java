package com.simplecallcenter.zohosync.sync;

import java.time.OffsetDateTime;

/** One row of {@code call_sync} (without the merged state). */
public record CallSyncRow(
        String callId,
        String status,
        OffsetDateTime firstReceivedAt,
        String zohoModule,
        String zohoRecordId,
        String zohoCallId,
        String ownerId,
        String ambiguity,
        OffsetDateTime personCreateStartedAt,
        String personCreateModule,
        OffsetDateTime callInsertStartedAt,
        int attempts,
        int parkedCount,
        OffsetDateTime nextAttemptAt,
        OffsetDateTime lastAttemptAt,
        String lastErrorCode,
        String lastErrorField,
        String lastErrorMessage,
        OffsetDateTime updatedAt,
        OffsetDateTime syncedAt) {
}
