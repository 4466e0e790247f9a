package com.simplecallcenter.zohosync.admin;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the admin page needs of the tenant registry: who a tenant admin token belongs to, whether a tenant is active,
 * the list the operator sees, a tenant's agent map and settings, and saving them through the same checks as the
 * tenant API ({@code PUT …/admin/agents}, {@code PATCH …/settings}). Implemented over the registry where the service
 * is wired.
 */
public interface AdminTenants {

    /** A tenant in the operator's list: its id, name and state (connected, disconnected, broken or disabled). */
    record Row(String id, String name, String state) {
    }

    /** The settings in force for a tenant (its own, else the deployment's) that the page shows and changes. */
    record Settings(String createMissing, String callIdField, String defaultOwnerId, List<String> updateFields,
                    String defaultRegion, String subjectTemplate, List<String> overwriteFields) {
    }

    /** The active tenant whose admin token this is. */
    Optional<String> tenantOfAdminToken(String token);

    boolean active(String tenant);

    List<Row> list();

    /** The tenant's saved agent map (agent id or email → Zoho user id); the default tenant's is config/agents.yaml. */
    Map<String, String> agents(String tenant);

    /** Replaces the tenant's saved agent map, as {@code PUT …/admin/agents} does (a ProblemException for bad input). */
    void putAgents(String tenant, Map<String, String> agents);

    Settings settings(String tenant);

    /** Changes settings as {@code PATCH /api/v1/tenants/{tenant}/settings} does (a ProblemException for bad input). */
    void updateSettings(String tenant, JsonNode patch);

    /** The providers whose webhook the tenant has switched on (a secret set), in the registry's order. */
    List<String> providers(String tenant);
}
