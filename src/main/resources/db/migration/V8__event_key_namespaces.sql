-- Each source of events has its own namespace of ids (issue 13, #5): the idempotency key is now
-- '<source>:<eventId>' ('canonical:…', 'twilio:…', …), and call_event is unique per (tenant, source, eventId). A
-- canonical eventId 'twilio:CA…:3' can then no longer make the real Twilio event a duplicate, nor the reverse.
-- Existing keys are rewritten once, so that retries of events accepted before the upgrade stay duplicates: every key
-- was committed together with its event, whose row says its source ('canonical' for a key without one).
ALTER TABLE CAMEL_MESSAGEPROCESSED DROP CONSTRAINT camel_messageprocessed_pkey;
UPDATE CAMEL_MESSAGEPROCESSED m
   SET messageId = COALESCE((SELECT e.source FROM call_event e WHERE e.tenant_id = m.tenant_id AND e.event_id = m.messageId),
                            'canonical') || ':' || m.messageId
 WHERE m.processorName = 'call-events';
-- sources are names without ':', so distinct keys stay distinct
ALTER TABLE CAMEL_MESSAGEPROCESSED ADD PRIMARY KEY (tenant_id, processorName, messageId);

ALTER TABLE call_event DROP CONSTRAINT call_event_tenant_event_id;
ALTER TABLE call_event ADD CONSTRAINT call_event_tenant_source_event_id UNIQUE (tenant_id, source, event_id);
