package com.simplecallcenter.zohosync.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.simplecallcenter.zohosync.inbox.CallEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * PBX extension → agent, from the optional {@code extension} key of the entries of {@code config/agents.yaml}
 * (a string, a number or a list: the PBX extension number, or a RingCentral extensionId). The file belongs to the
 * sync (its format: {@code agents: [{id, email, zohoUserId}]}); it is read leniently here: a missing or unreadable
 * file, or an entry without {@code extension}, only means that extensions stay unmapped.
 */
public final class ExtensionDirectory {

    private static final Logger LOG = LoggerFactory.getLogger("scc.providers");

    private final Map<String, CallEvent.Agent> byExtension;

    public ExtensionDirectory(Map<String, CallEvent.Agent> byExtension) {
        this.byExtension = Map.copyOf(byExtension);
    }

    public static ExtensionDirectory empty() {
        return new ExtensionDirectory(Map.of());
    }

    public static ExtensionDirectory load(Path path) {
        if (!Files.isRegularFile(path)) {
            return empty();
        }
        Map<String, CallEvent.Agent> map = new HashMap<>();
        try {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(path.toFile());
            JsonNode agents = root == null ? null : root.get("agents");
            if (agents != null && agents.isArray()) {
                for (JsonNode a : agents) {
                    CallEvent.Agent agent = new CallEvent.Agent(Payloads.text(a, "id"), Payloads.text(a, "email"), Payloads.text(a, "name"));
                    JsonNode ext = a.get("extension");
                    if (ext == null || ext.isNull()) {
                        continue;
                    }
                    if (ext.isArray()) {
                        ext.forEach(e -> put(map, e.asText(), agent));
                    } else if (ext.isValueNode()) {
                        put(map, ext.asText(), agent);
                    }
                }
            }
        } catch (Exception e) {
            LOG.warn("{}: cannot read the agent extensions ({}); PBX extensions stay unmapped", path, e.getClass().getSimpleName());
            return empty();
        }
        return new ExtensionDirectory(map);
    }

    private static void put(Map<String, CallEvent.Agent> map, String extension, CallEvent.Agent agent) {
        if (extension != null && !extension.isBlank() && (agent.id() != null || agent.email() != null)) {
            map.putIfAbsent(extension.trim(), agent);
        }
    }

    /**
     * The directory that applies to a tenant's requests: config/agents.yaml belongs to the tenant {@code default};
     * other tenants' extensions stay {@code <provider>-ext:<n>} agents, which their agent map may map.
     */
    public ExtensionDirectory forTenant(String tenant) {
        return com.simplecallcenter.zohosync.http.Tenancy.DEFAULT.equals(tenant) ? this : empty();
    }

    public Optional<CallEvent.Agent> agent(String extension) {
        return extension == null ? Optional.empty() : Optional.ofNullable(byExtension.get(extension.trim()));
    }

    /**
     * The agent of an extension: the mapped one, else an agent whose id is the extension prefixed with the provider
     * ({@code asterisk-ext:101}), so that an unmapped extension is still visible (and mappable by id) in the sync.
     */
    public CallEvent.Agent agentOrExtension(String provider, String extension, String name) {
        if (extension == null || extension.isBlank()) {
            return name == null ? null : new CallEvent.Agent(null, null, name);
        }
        return agent(extension).map(a -> new CallEvent.Agent(a.id() != null ? a.id() : provider + "-ext:" + extension.trim(), a.email(),
                        a.name() != null ? a.name() : name))
                .orElseGet(() -> new CallEvent.Agent(provider + "-ext:" + extension.trim(), null, name));
    }

    public int size() {
        return byExtension.size();
    }
}
