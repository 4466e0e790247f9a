package com.simplecallcenter.zohosync.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Jetty's own error answers (no route for the path: 404; a known path with another method: 405) as RFC 9457
 * problems, like every other error of the service, instead of Jetty's HTML page. Nothing of the request is echoed.
 */
public final class ProblemErrorHandler extends ErrorHandler {

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        String title = HttpStatus.getMessage(code);
        String detail = switch (code) {
            case 404 -> "no endpoint at this path";
            case 405 -> "this endpoint does not take that method";
            default -> title;
        };
        String body = "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + code + ",\"detail\":\"" + detail + "\"}";
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problems.PROBLEM_JSON);
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }
}
