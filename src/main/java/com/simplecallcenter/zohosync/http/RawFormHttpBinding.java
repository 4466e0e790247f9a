package com.simplecallcenter.zohosync.http;

import com.simplecallcenter.zohosync.http.RequestBodies;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.camel.Message;
import org.apache.camel.component.jetty.JettyRestHttpBinding;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * The REST binding with form bodies kept raw. Camel's binding maps request parameters to headers with
 * {@code getParameterNames()}, and for an {@code application/x-www-form-urlencoded} body Jetty may then consume the body
 * to extract form fields (depending on timing), leaving the route an empty stream: Twilio's signature could not be
 * checked. So a form body is read here first, at most 256 KiB + 1 byte (more is refused with 413 by
 * {@link RequestBodies#readBounded}); every other body stays a stream, read with the cap by the route.
 */
public final class RawFormHttpBinding extends JettyRestHttpBinding {

    public RawFormHttpBinding() {
        setMapHttpMessageFormUrlEncodedBody(false);
        setHeaderFilterStrategy(new org.apache.camel.http.common.HttpHeaderFilterStrategy());
    }

    /** Whatever filter the REST consumer installs, a route's Cache-Control gets through (no-store pages). */
    @Override
    public void setHeaderFilterStrategy(org.apache.camel.spi.HeaderFilterStrategy strategy) {
        super.setHeaderFilterStrategy(strategy instanceof ResponseHeaderFilterStrategy ? strategy : new ResponseHeaderFilterStrategy(strategy));
    }

    @Override
    protected void readBody(HttpServletRequest request, Message message) {
        String ct = request.getContentType();
        if (ct != null && ct.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            try {
                message.setBody(readAtMost(request.getInputStream(), RequestBodies.MAX_BYTES + 1));
            } catch (IOException e) {
                message.setBody(new byte[0]);
            }
            return;
        }
        super.readBody(request, message);
    }

    private static byte[] readAtMost(InputStream in, int max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        byte[] buf = new byte[8192];
        int n;
        while (out.size() < max && (n = in.read(buf, 0, Math.min(buf.length, max - out.size()))) != -1) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }
}
