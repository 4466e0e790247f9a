package com.simplecallcenter.zohosync.zoho;

/**
 * There is no usable Zoho connection: never connected, disconnected, broken (Zoho refused the refresh token), the
 * client id/secret or the token key is missing. Not a data error: the work can go through once an admin connects,
 * so park it rather than dead-letter it. Deliberately not a {@link ZohoRetryableException}: a quick redelivery
 * cannot help.
 */
public class ZohoNotConnectedException extends ZohoException {
    public ZohoNotConnectedException(String code, String message) {
        super(code, 0, null, message, null);
    }
}
