package com.simplecallcenter.zohosync.sync;

/**
 * The Lead or Contact the call was linked to is gone from Zoho (deleted or merged by a user): Zoho refused the Call's
 * {@code Who_Id}/{@code What_Id}. The link, the cached match and the created-record row are forgotten before this is
 * thrown, so the call's next attempt matches the customer afresh (sync-errors re-runs it at once, a bounded number of
 * times).
 */
public class PersonGoneException extends RuntimeException {

    public PersonGoneException(String message) {
        super(message);
    }
}
