package com.simplecallcenter.zohosync.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.simplecallcenter.zohosync.http.Tenancy;
import com.simplecallcenter.zohosync.zoho.ZohoWeb;

import java.util.Map;
import java.util.Optional;

/**
 * What every section of a tenant's page needs: the tenant, the session's CSRF token and the hidden fields its forms
 * carry, the Zoho connection's status, the settings in force, and the org's users (read only while connected).
 */
record PageContext(String tenant, boolean operator, String csrf, String up, ObjectNode zoho, AdminTenants.Settings settings,
                   ZohoDirectory.Users users, String publicBaseUrl) {

    boolean isDefault() {
        return Tenancy.DEFAULT.equals(tenant);
    }

    boolean connected() {
        return "connected".equals(zoho.path("state").asText());
    }

    /** Hidden fields of every form: the operator names the tenant it acts on (a tenant admin's is its own anyway). */
    Map<String, String> hidden() {
        return isDefault() ? Map.of() : Map.of("tenant", tenant);
    }

    /** A form action relative to the page ({@code /admin}): {@code admin/…}. */
    String action(String path) {
        return up + "admin/" + path;
    }

    /** The record's page in the org's Zoho web UI, if the connection tells the data centre. */
    Optional<String> zohoLink(String module, String id) {
        return ZohoWeb.record(zoho.path("apiDomain").asText(null), module, id);
    }

    /** A Zoho user's name for an id, else the id. */
    String userName(String id) {
        return users.byId(id).map(ZohoDirectory.User::label).orElse(id == null ? "" : "Zoho user " + id);
    }

    /** Where the tenant's webhooks are sent: SCC_PUBLIC_BASE_URL + the tenant's path. */
    String webhookUrl(String provider) {
        String base = publicBaseUrl.replaceAll("/+$", "");
        String prefix = isDefault() ? "/api/v1" : "/api/v1/tenants/" + tenant;
        return base + prefix + (provider == null ? "/calls/events" : "/webhooks/" + provider);
    }
}
