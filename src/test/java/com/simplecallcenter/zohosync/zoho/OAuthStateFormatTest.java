package com.simplecallcenter.zohosync.zoho;

import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The OAuth callback is open to anyone: a state that is not of the form we issue costs no database query. */
class OAuthStateFormatTest {

    @Test
    void aMalformedStateIsUnknownWithoutTouchingTheDatabase() {
        AtomicInteger connections = new AtomicInteger();
        DataSource counting = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        connections.incrementAndGet();
                        throw new java.sql.SQLException("no database in this test");
                    }
                    return null;
                });
        OAuthStateStore store = new OAuthStateStore(counting, Clock.systemUTC());
        for (String bad : new String[]{"x", "' OR 1=1 --", "a".repeat(42), "a".repeat(44), "a".repeat(42) + "!", "a".repeat(5000)}) {
            assertThat(store.consume(bad, null).check()).as(bad.length() > 50 ? "long" : bad).isEqualTo(OAuthStateStore.Check.UNKNOWN);
        }
        assertThat(connections).hasValue(0);
    }
}
