package com.simplecallcenter.zohosync.http;

import java.util.List;
import java.util.Optional;

/**
 * What ingest needs to know about a tenant: whether it takes webhooks, its secrets, its phone region. Implemented
 * over the tenant registry where the service is wired (SccConfiguration); the tenant {@code default} answers from the
 * deployment's configuration.
 */
public interface TenantDirectory {

    /** Throws a 404 problem unless the tenant exists and is not disabled. */
    void requireActive(String tenant);

    /** The canonical webhook secrets to accept (the current one, and the previous one during a rotation). */
    List<String> webhookSecrets(String tenant);

    /** The region that numbers without a country code are read in. */
    String defaultRegion(String tenant);

    /** A provider secret of the tenant ({@code provider}: twilio, aircall…; {@code name}: authToken, token…), if set. */
    Optional<String> providerSecret(String tenant, String provider, String name);
}
