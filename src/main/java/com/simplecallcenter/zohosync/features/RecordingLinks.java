package com.simplecallcenter.zohosync.features;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.simplecallcenter.zohosync.inbox.CallEvent;
import com.simplecallcenter.zohosync.sync.CallLinkPolicy;
import com.simplecallcenter.zohosync.sync.SyncFailures;
import com.simplecallcenter.zohosync.sync.SyncWork;
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
 * The optional route {@code recording-links}. As the sync's {@link CallLinkPolicy} it decides which links the Call
 * carries: none when the switch is off; the recording in {@code Voice_Recording__s} and, with
 * {@code scc.links.transcript-target=description}, transcript and summary as lines of the Description. A link that
 * expires (a pre-signed URL: a query parameter of {@code scc.links.expiring-url-params}, such as Aircall's 10-minute
 * recording URL) is never written as if it were permanent; provider adapters pass the stable link where there is one.
 * With {@code scc.links.transcript-target=notes}, {@link #writeNotes} (route {@code recording-notes}) puts transcript
 * and summary in one Note each on the Call, updated when the link changes, idempotent by {@code call_note}.
 */
public class RecordingLinks implements CallLinkPolicy {

    public static final String TRANSCRIPT = "transcript";
    public static final String SUMMARY = "summary";

    private static final Logger LOG = LoggerFactory.getLogger("scc.features");

    private final FeatureSwitches switches;
    private final FeatureSettings settings;
    private final ZohoClient zoho;
    private final CallNoteRepository repository;
    private final ObjectMapper mapper;
    private final MeterRegistry meters;

    public RecordingLinks(FeatureSwitches switches, FeatureSettings settings, ZohoClient zoho, CallNoteRepository repository,
                          ObjectMapper mapper, MeterRegistry meters) {
        this.switches = switches;
        this.settings = settings;
        this.zoho = zoho;
        this.repository = repository;
        this.mapper = mapper;
        this.meters = meters;
    }

    @Override
    public CallEvent.Links allowed(CallEvent.Links links) {
        if (links == null || !switches.isEnabled(FeatureSwitches.RECORDING_LINKS)) {
            return null;
        }
        boolean inDescription = settings.transcriptTarget().equals("description");
        String recording = permanent(links.recording());
        String transcript = inDescription ? permanent(links.transcript()) : null;
        String summary = inDescription ? permanent(links.summary()) : null;
        return recording == null && transcript == null && summary == null ? null : new CallEvent.Links(recording, transcript, summary);
    }

    /** Route step of {@code recording-notes}: transcript and summary as Notes on the Call, once each. */
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
        Optional<CallNoteRepository.Row> row = repository.find(callId, kind);
        String noteId = row.map(CallNoteRepository.Row::zohoNoteId).orElse(null);
        String content = row.map(CallNoteRepository.Row::content).orElse(null);
        if (noteId == null && row.isPresent() && row.get().insertStarted()) {
            // an earlier insert's outcome is unknown: the Call's notes (live data) tell
            count(work);
            for (ObjectNode n : zoho.related("Calls", work.getZohoCallId(), "Notes", List.of("Note_Title", "Note_Content"))) {
                if (title.equals(Json.text(n, "Note_Title"))) {
                    noteId = Json.text(n, "id");
                    content = Json.text(n, "Note_Content");
                    repository.store(callId, kind, noteId, content);
                    break;
                }
            }
        }
        if (noteId != null) {
            if (!url.equals(content)) {
                ObjectNode update = mapper.createObjectNode().put("id", noteId).put("Note_Content", url);
                count(work);
                SyncFailures.requireSuccess(zoho.update("Notes", List.of(update)));
                repository.store(callId, kind, noteId, url);
            }
            return;
        }
        ObjectNode note = mapper.createObjectNode();
        note.put("Note_Title", title);
        note.put("Note_Content", url);
        ObjectNode parent = note.putObject("Parent_Id");
        parent.putObject("module").put("api_name", "Calls");
        parent.put("id", work.getZohoCallId());
        repository.markInsertStarted(callId, kind);
        List<ZohoClient.RecordResult> results;
        try {
            count(work);
            results = zoho.insert("Notes", List.of(note));
        } catch (ZohoRateLimitedException | ZohoPermanentException | ZohoNotConnectedException e) {
            repository.clearInsertStarted(callId, kind);
            throw e;
        }
        ZohoClient.RecordResult r = SyncFailures.requireSuccess(results);
        repository.store(callId, kind, r.id(), url);
    }

    /** The link, unless it is one that expires (then null: counted, never stored as if permanent). */
    String permanent(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        if (expiring(url)) {
            meters.counter("scc_links_expiring_skipped_total").increment();
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
        meters.counter("scc_feature_zoho_requests_total", "feature", FeatureSwitches.RECORDING_LINKS).increment();
    }
}
