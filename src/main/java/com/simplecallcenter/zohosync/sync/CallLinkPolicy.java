package com.simplecallcenter.zohosync.sync;

import com.simplecallcenter.zohosync.inbox.CallEvent;


/**
 * Which of a call's links the Call activity carries ({@code Voice_Recording__s}, the link lines of the Description).
 * The optional route {@code recording-links} binds one as {@code callLinkPolicy}; without it every link is written.
 */
@FunctionalInterface
public interface CallLinkPolicy {

    CallLinkPolicy ALL = links -> links;

    /** The links the Call may carry now (a subset of {@code links}), or null for none. */
    CallEvent.Links allowed(CallEvent.Links links);
}
