package com.simplecallcenter.zohosync.providers;

import com.simplecallcenter.zohosync.inbox.CallEvent;


import java.util.List;

/**
 * Turns one verified provider webhook into canonical call events; an adapter knows neither Zoho nor the database,
 * so a provider is added without touching the sync. An empty list means the webhook carries nothing a call log needs
 * (it is answered 200 and not stored). Input the adapter cannot read is a 400
 * {@link com.simplecallcenter.zohosync.http.ProblemException}.
 */
public interface ProviderAdapter {

    List<CallEvent> adapt(ProviderRequest request);
}
