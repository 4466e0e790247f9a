package com.simplecallcenter.zohosync.providers;

import com.simplecallcenter.zohosync.http.ProblemException;
import com.simplecallcenter.zohosync.support.ProviderSender;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TwilioSignatureVerifierTest {

    static final Map<String, String> DOC_PARAMS = new LinkedHashMap<>();

    static {
        DOC_PARAMS.put("Digits", "1234");
        DOC_PARAMS.put("To", "+18005551212");
        DOC_PARAMS.put("From", "+14158675309");
        DOC_PARAMS.put("Caller", "+14158675309");
        DOC_PARAMS.put("CallSid", "CA1234567890ABCDE");
    }

    static ProviderRequest request(String path, String query, String body, String signature) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/x-www-form-urlencoded");
        if (signature != null) {
            headers.put("x-twilio-signature", signature);
        }
        return new ProviderRequest("twilio", body.getBytes(StandardCharsets.UTF_8), headers, path, query, "US", ZoneOffset.UTC);
    }

    @Test
    void twiliosPublishedVectorPasses() {
        // Twilio's documented example: token 12345, https://mycompany.com/myapp.php?foo=1&bar=2
        TwilioSignatureVerifier v = new TwilioSignatureVerifier(Optional.of("12345"), "https://mycompany.com");
        String body = ProviderSender.form(DOC_PARAMS);
        v.verify(request("/myapp.php", "foo=1&bar=2", body, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
        // and the same URL with :443, as the SDKs accept
        new TwilioSignatureVerifier(Optional.of("12345"), "https://mycompany.com:443")
                .verify(request("/myapp.php", "foo=1&bar=2", body, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
        assertThatThrownBy(() -> v.verify(request("/myapp.php", "foo=1&bar=3", body, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")))
                .isInstanceOf(ProblemException.class).extracting("status").isEqualTo(401);
        assertThatThrownBy(() -> v.verify(request("/myapp.php", "foo=1&bar=2", body.replace("1234", "9999"), "RSOYDt4T1cUTdK1PDd93/VVr8B8=")))
                .isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> v.verify(request("/myapp.php", "foo=1&bar=2", body, "not base64 at all")))
                .isInstanceOf(ProblemException.class);
    }

    @Test
    void repeatedParametersSignEachDistinctValueInOrder() {
        // vector of the Python SDK's semantics: Digits=5678, Digits=1234 twice
        TwilioSignatureVerifier v = new TwilioSignatureVerifier(Optional.of("12345"), "https://mycompany.com");
        String body = "Sid=CA123&SidAccount=AC123&Digits=5678&Digits=1234&Digits=1234";
        v.verify(request("/myapp.php", "foo=1&bar=2", body, "IK+Dwps556ElfBT0I3Rgjkr1wJU="));
    }

    @Test
    void defaultPortsAreAddedOrRemovedAndAPathPrefixIsKept() {
        assertThat(TwilioSignatureVerifier.withOrWithoutDefaultPort("https://a.example/scc/x?y=1")).isEqualTo("https://a.example:443/scc/x?y=1");
        assertThat(TwilioSignatureVerifier.withOrWithoutDefaultPort("https://a.example:443/x")).isEqualTo("https://a.example/x");
        assertThat(TwilioSignatureVerifier.withOrWithoutDefaultPort("http://a.example/x")).isEqualTo("http://a.example:80/x");
        assertThat(TwilioSignatureVerifier.withOrWithoutDefaultPort("http://a.example:80/x")).isEqualTo("http://a.example/x");
        assertThat(TwilioSignatureVerifier.withOrWithoutDefaultPort("http://a.example:8080/x")).isNull();

        String body = ProviderSender.form(DOC_PARAMS);
        String signedWith80 = TwilioWebhookTest.sign("tok", "http://pbx.example:80/base/api/v1/webhooks/twilio?region=GB", DOC_PARAMS);
        TwilioSignatureVerifier v = new TwilioSignatureVerifier(Optional.of("tok"), "http://pbx.example/base/");
        v.verify(request("/api/v1/webhooks/twilio", "region=GB", body, signedWith80));
        assertThat(v.urls(request("/api/v1/webhooks/twilio", "region=GB", body, null)))
                .isEqualTo(List.of("http://pbx.example/base/api/v1/webhooks/twilio?region=GB", "http://pbx.example:80/base/api/v1/webhooks/twilio?region=GB"));
        String withoutPrefix = TwilioWebhookTest.sign("tok", "http://pbx.example/api/v1/webhooks/twilio?region=GB", DOC_PARAMS);
        assertThatThrownBy(() -> v.verify(request("/api/v1/webhooks/twilio", "region=GB", body, withoutPrefix)))
                .isInstanceOf(ProblemException.class);
    }

    @Test
    void theTokenNeverAppearsInAProblem() {
        TwilioSignatureVerifier v = new TwilioSignatureVerifier(Optional.of("s3cret-token"), "https://a.example");
        String sig = Base64.getEncoder().encodeToString("x".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> v.verify(request("/p", "", "CallSid=CA1", sig)))
                .isInstanceOf(ProblemException.class).hasMessageNotContaining("s3cret-token");
    }
}
