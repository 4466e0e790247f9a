package com.simplecallcenter.zohosync.features;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.simplecallcenter.zohosync.inbox.CallEvent;
import com.simplecallcenter.zohosync.sync.SyncFailures;
import com.simplecallcenter.zohosync.sync.SyncWork;
import com.simplecallcenter.zohosync.sync.SyncTenants;
import com.simplecallcenter.zohosync.zoho.ZohoClient;
import com.simplecallcenter.zohosync.zoho.ZohoNotConnectedException;
import com.simplecallcenter.zohosync.zoho.ZohoPermanentException;
import com.simplecallcenter.zohosync.zoho.ZohoRateLimitedException;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The optional route {@code recording-links}: which links the Call carries ({@code Voice_Recording__s}, and transcript
 * and summary in its Description), or with {@code scc.recording-links.transcript-target=notes} one Note each on the
 * Call, updated when the link changes. A pre-signed link expires, so it is never written as if it were permanent.
 */
public class RecordingLinks {

    public static final String FEATURE = "recording-links";
    public static final String TRANSCRIPT = "transcript";
    public static final String SUMMARY = "summary";

    private static final Logger LOG = LoggerFactory.getLogger("scc.features");

    private final FeatureSettings settings;
    private final SyncTenants tenants;
    private final CallNoteRepository repository;
    private final ObjectMapper mapper;
    private final MeterRegistry meters;

    public RecordingLinks(FeatureSettings settings, SyncTenants tenants, CallNoteRepository repository, ObjectMapper mapper,
                          MeterRegistry meters) {
        this.settings = settings;
        this.tenants = tenants;
        this.repository = repository;
        this.mapper = mapper;
        this.meters = meters;
    }

    /** Route step of {@code recording-links}, before the Call is written: the links it carries. */
    public void putOnCall(SyncWork work) {
        work.carryLinks(permanentLinks(work.getState().call().links()));
    }

    private CallEvent.Links permanentLinks(CallEvent.Links links) {
        if (links == null) {
            return null;
        }
        boolean inDescription = settings.transcriptTarget().equals("description");
        String recording = permanent(links.recording());
        String transcript = inDescription ? permanent(links.transcript()) : null;
        String summary = inDescription ? permanent(links.summary()) : null;
        return recording == null && transcript == null && summary == null ? null : new CallEvent.Links(recording, transcript, summary);
    }

    /** Route step of {@code recording-links-notes}, after the Call is written: transcript and summary as Notes on it, once each. */
    public void writeNotes(SyncWork work) {
        CallEvent.Links links = work.getState().call().links();
        if (!settings.transcriptTarget().equals("notes") || links == null || work.getZohoCallId() == null) {
            return;
        }
        note(work, TRANSCRIPT, "Transcript", permanent(links.transcript()));
        note(work, SUMMARY, "Summary", permanent(links.summary()));
    }

    private void note(SyncWork work, String kind, String title, String url) {
        if (url == null) {
            return;
        }
        String callId = work.getCallId();
        Optional<CallNoteRepository.Row> row = repository.find(work.getTenant(), callId, kind);
        String noteId = row.map(CallNoteRepository.Row::zohoNoteId).orElse(null);
        String content = row.map(CallNoteRepository.Row::content).orElse(null);
        if (noteId == null && row.isPresent() && row.get().insertStarted()) {
            // an earlier insert's outcome is unknown: the Call's notes (live data) tell
            count(work);
            for (ObjectNode n : tenants.zoho(work.getTenant()).related("Calls", work.getZohoCallId(), "Notes", List.of("Note_Title", "Note_Content"))) {
                if (title.equals(Json.text(n, "Note_Title"))) {
                    noteId = Json.text(n, "id");
                    content = Json.text(n, "Note_Content");
                    repository.store(work.getTenant(), callId, kind, noteId, content);
                    break;
                }
            }
        }
        if (noteId != null) {
            if (!url.equals(content)) {
                ObjectNode update = mapper.createObjectNode().put("id", noteId).put("Note_Content", url);
                count(work);
                SyncFailures.requireSuccess(tenants.zoho(work.getTenant()).update("Notes", List.of(update)));
                repository.store(work.getTenant(), callId, kind, noteId, url);
            }
            return;
        }
        ObjectNode note = mapper.createObjectNode();
        note.put("Note_Title", title);
        note.put("Note_Content", url);
        ObjectNode parent = note.putObject("Parent_Id");
        parent.putObject("module").put("api_name", "Calls");
        parent.put("id", work.getZohoCallId());
        repository.markInsertStarted(work.getTenant(), callId, kind);
        List<ZohoClient.RecordResult> results;
        try {
            count(work);
            results = tenants.zoho(work.getTenant()).insert("Notes", List.of(note));
        } catch (ZohoRateLimitedException | ZohoPermanentException | ZohoNotConnectedException e) {
            repository.clearInsertStarted(work.getTenant(), callId, kind);
            throw e;
        }
        ZohoClient.RecordResult r = SyncFailures.requireSuccess(results);
        repository.store(work.getTenant(), callId, kind, r.id(), url);
    }

    /** The link, unless it is one that expires (then null: counted, never stored as if permanent). */
    String permanent(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        if (expiring(url)) {
            meters.counter("scc_recording_links_expiring_skipped_total").increment();
            LOG.debug("an expiring link was not written to Zoho");
            return null;
        }
        return url;
    }

    boolean expiring(String url) {
        String query;
        try {
            query = URI.create(url.trim()).getRawQuery();
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (query == null) {
            return false;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = (eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(Locale.ROOT);
            if (settings.expiringUrlParams().contains(name)) {
                return true;
            }
        }
        return false;
    }

    private void count(SyncWork work) {
        work.countZohoRequest();
        meters.counter("scc_feature_zoho_requests_total", "feature", FEATURE).increment();
    }
}
