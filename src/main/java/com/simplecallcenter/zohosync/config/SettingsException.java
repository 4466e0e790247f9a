package com.simplecallcenter.zohosync.config;

/** A missing or invalid setting. The message names the setting and is printed as the only line at start-up. */
public class SettingsException extends RuntimeException {
    public SettingsException(String message) {
        super(message);
    }
}
