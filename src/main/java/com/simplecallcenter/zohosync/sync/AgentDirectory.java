package com.simplecallcenter.zohosync.sync;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.simplecallcenter.zohosync.config.Settings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The agent → Zoho user map of {@code config/agents.yaml} ({@code scc.sync.agents-file}): each entry names an agent by
 * id and/or email and the Zoho user id that owns that agent's calls. Read once at start-up; a missing file is an
 * empty map, a broken one stops the start.
 */
public final class AgentDirectory {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Entry(String id, String email, String zohoUserId) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record File(List<Entry> agents) {
    }

    private final Map<String, String> byId;
    private final Map<String, String> byEmail;

    AgentDirectory(Map<String, String> byId, Map<String, String> byEmail) {
        this.byId = Map.copyOf(byId);
        this.byEmail = Map.copyOf(byEmail);
    }

    public static AgentDirectory load(Path path) {
        if (!Files.isRegularFile(path)) {
            return new AgentDirectory(Map.of(), Map.of());
        }
        File file;
        try {
            String text = Files.readString(path);
            file = text.isBlank() ? null : new ObjectMapper(new YAMLFactory()).readValue(text, File.class);
        } catch (IOException e) {
            throw Settings.invalid("scc.sync.agents-file", "cannot read " + path + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
        Map<String, String> byId = new HashMap<>();
        Map<String, String> byEmail = new HashMap<>();
        if (file != null && file.agents() != null) {
            for (Entry e : file.agents()) {
                if (e.zohoUserId() == null || !e.zohoUserId().matches("[0-9]{1,19}")) {
                    throw Settings.invalid("scc.sync.agents-file", path + ": every agent needs a zohoUserId of digits");
                }
                if (e.id() == null && e.email() == null) {
                    throw Settings.invalid("scc.sync.agents-file", path + ": every agent needs an id or an email");
                }
                if (e.id() != null) {
                    byId.put(e.id(), e.zohoUserId());
                }
                if (e.email() != null) {
                    byEmail.put(e.email().trim().toLowerCase(Locale.ROOT), e.zohoUserId());
                }
            }
        }
        return new AgentDirectory(byId, byEmail);
    }

    /**
     * A tenant's saved map: each key is an agent id, or an email (holding '@'), to a Zoho user id. Entries that are
     * not a Zoho user id are skipped (the admin API refuses them before they are saved).
     */
    public static AgentDirectory with(Map<String, String> saved) {
        Map<String, String> byId = new HashMap<>();
        Map<String, String> byEmail = new HashMap<>();
        saved.forEach((agent, user) -> {
            if (agent == null || user == null || !user.matches("[0-9]{1,19}")) {
                return;
            }
            byId.put(agent, user);
            if (agent.contains("@")) {
                byEmail.put(agent.trim().toLowerCase(Locale.ROOT), user);
            }
        });
        return new AgentDirectory(byId, byEmail);
    }

    /** This map with {@code over}'s entries taking precedence. */
    public AgentDirectory with(AgentDirectory over) {
        if (over.byId.isEmpty() && over.byEmail.isEmpty()) {
            return this;
        }
        Map<String, String> id = new HashMap<>(byId);
        id.putAll(over.byId);
        Map<String, String> email = new HashMap<>(byEmail);
        email.putAll(over.byEmail);
        return new AgentDirectory(id, email);
    }

    public Optional<String> userFor(String agentId, String agentEmail) {
        if (agentId != null && byId.containsKey(agentId)) {
            return Optional.of(byId.get(agentId));
        }
        if (agentEmail != null) {
            return Optional.ofNullable(byEmail.get(agentEmail.trim().toLowerCase(Locale.ROOT)));
        }
        return Optional.empty();
    }

    public int size() {
        return Math.max(byId.size(), byEmail.size());
    }
}
