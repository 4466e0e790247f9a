package com.simplecallcenter.zohosync.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The settings more than one layer uses, read and checked here only: the HTTP port, the default phone region, the
 * public URL at which providers reach the service, the agents file and the Calls field holding our call id.
 */
public record ServiceSettings(int httpPort, String defaultRegion, String publicBaseUrl, Path agentsFile, String callIdField) {

    public static ServiceSettings from(Settings s) {
        String callIdField = s.get("scc.zoho.call-id-field");
        if (!callIdField.matches("[A-Za-z][A-Za-z0-9_]{0,99}")) {
            throw Settings.invalid("scc.zoho.call-id-field", "must be a Zoho field API name such as SCC_Call_ID");
        }
        return new ServiceSettings(
                s.intValue("scc.http.port", 0, 65535),
                s.required("scc.phone.default-region").toUpperCase(Locale.ROOT),
                publicBaseUrl(s),
                Path.of(s.required("scc.sync.agents-file")),
                callIdField);
    }

    /** An http(s) URL without query or fragment, without a trailing slash. */
    private static String publicBaseUrl(Settings s) {
        String url = s.required("scc.public-base-url").trim();
        try {
            URI u = new URI(url);
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null
                    || u.getRawQuery() != null || u.getRawFragment() != null) {
                throw new IllegalArgumentException();
            }
        } catch (Exception e) {
            throw Settings.invalid("scc.public-base-url", "must be the http(s) URL at which providers reach the service, "
                    + "such as https://calls.example.com (no query)");
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
