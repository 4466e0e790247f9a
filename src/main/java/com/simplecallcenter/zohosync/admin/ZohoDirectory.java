package com.simplecallcenter.zohosync.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.simplecallcenter.zohosync.zoho.ZohoException;
import com.simplecallcenter.zohosync.zoho.ZohoOrgs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the admin page reads from a tenant's Zoho org: its active users (Users API, every page) and whether a field
 * exists on a module (fields API). Each answer costs credits, so it is kept for {@code scc.admin.zoho-cache-ttl} per
 * tenant and connection (a reconnect reads afresh), failures too; "Check again" on the page drops a tenant's answers.
 */
final class ZohoDirectory {

    /** An active Zoho user as the page offers it. */
    record User(String id, String name, String email) {
        String label() {
            return (name == null || name.isBlank() ? email : email == null ? name : name + " <" + email + ">");
        }
    }

    /** The users, or why they could not be read (then {@code users} is empty). */
    record Users(List<User> users, String error) {
        Optional<User> byId(String id) {
            return id == null ? Optional.empty() : users.stream().filter(u -> u.id().equals(id)).findFirst();
        }
    }

    /** Whether a field exists on a module; {@code error} when Zoho could not tell (then {@code exists} is false). */
    record FieldCheck(boolean exists, String dataType, String error) {
    }

    private final ZohoOrgs orgs;
    private final Cache<String, Object> cache;

    ZohoDirectory(ZohoOrgs orgs, Duration ttl) {
        this.orgs = orgs;
        this.cache = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(10_000).build();
    }

    /** Forgets what was read of the tenant's org (the admin changed something in Zoho and checks again). */
    void forget(String tenant) {
        cache.asMap().keySet().removeIf(k -> k.startsWith(tenant + "|"));
    }

    /** The org's active users, by name; read only while the tenant is connected. */
    Users users(String tenant) {
        return (Users) cache.get(key(tenant, "users"), k -> readUsers(tenant));
    }

    FieldCheck field(String tenant, String module, String apiName) {
        return (FieldCheck) cache.get(key(tenant, "fields|" + module + "|" + apiName), k -> readField(tenant, module, apiName));
    }

    /** One key per tenant and connection: connecting again (maybe another org or user) reads afresh. */
    private String key(String tenant, String what) {
        ObjectNode status = orgs.of(tenant).oauth().status();
        return tenant + "|" + status.path("connectedAt").asText("") + "|" + what;
    }

    private Users readUsers(String tenant) {
        try {
            List<User> out = new ArrayList<>();
            for (ObjectNode u : orgs.of(tenant).client().users("ActiveUsers")) {
                String id = u.path("id").asText("");
                if (id.matches("[0-9]{1,19}")) {
                    out.add(new User(id, text(u, "full_name"), text(u, "email")));
                }
            }
            out.sort(Comparator.comparing(u -> u.label().toLowerCase(Locale.ROOT)));
            return new Users(List.copyOf(out), null);
        } catch (ZohoException e) {
            return new Users(List.of(), reason(e));
        }
    }

    private FieldCheck readField(String tenant, String module, String apiName) {
        try {
            for (ObjectNode f : orgs.of(tenant).client().fields(module)) {
                if (apiName.equals(f.path("api_name").asText())) {
                    return new FieldCheck(true, f.path("data_type").asText(""), null);
                }
            }
            return new FieldCheck(false, null, null);
        } catch (ZohoException e) {
            return new FieldCheck(false, null, reason(e));
        }
    }

    private static String text(ObjectNode n, String field) {
        String v = n.path(field).asText("");
        return v.isBlank() ? null : v;
    }

    /** Zoho's code and message: never a token (the client's exceptions carry none). */
    static String reason(ZohoException e) {
        String code = e.code() == null ? "" : e.code();
        String hint = switch (code) {
            case "OAUTH_SCOPE_MISMATCH" -> " — reconnect Zoho CRM to grant the missing scope";
            case "NOT_CONNECTED", "INVALID_TOKEN" -> " — connect Zoho CRM";
            case "TOO_MANY_REQUESTS" -> " — Zoho's limits; try again in a minute";
            default -> "";
        };
        return (code.isEmpty() ? "" : code + ": ") + (e.getMessage() == null ? "" : e.getMessage()) + hint;
    }
}
