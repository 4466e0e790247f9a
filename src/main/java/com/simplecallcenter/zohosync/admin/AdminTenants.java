package com.simplecallcenter.zohosync.admin;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the admin page needs of the tenant registry: who a tenant admin token belongs to, whether a tenant is active,
 * the list the operator sees, and a tenant's agent map. Implemented over the registry where the service is wired.
 */
public interface AdminTenants {

    /** A tenant in the operator's list: its id, name and state (connected, disconnected, broken or disabled). */
    record Row(String id, String name, String state) {
    }

    /** The active tenant whose admin token this is. */
    Optional<String> tenantOfAdminToken(String token);

    boolean active(String tenant);

    List<Row> list();

    /** The tenant's saved agent map (agent id or email → Zoho user id); the default tenant's is config/agents.yaml. */
    Map<String, String> agents(String tenant);
}
