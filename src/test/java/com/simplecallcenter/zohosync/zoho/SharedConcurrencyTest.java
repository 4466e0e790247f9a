package com.simplecallcenter.zohosync.zoho;

import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.Wait;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Zoho's concurrency limit is per org, so a tenant's budget is shared by every instance: two instances on one database
 * take half each, and one takes the whole budget back once the other has stopped.
 */
class SharedConcurrencyTest {

    @Test
    void twoInstancesShareAnOrgsBudgetAndOneTakesItBackWhenTheOtherStops() throws Exception {
        try (AppHarness one = AppHarness.on("t_shared_concurrency").setting("scc.instances.heartbeat", "200ms")
                .setting("scc.zoho.max-concurrency", "10").start()) {
            assertThat(budget(one)).isEqualTo(10);
            AppHarness two = one.startAnotherInstance();
            try {
                Wait.until(() -> budget(one), b -> b == 5, Duration.ofSeconds(10));
                Wait.until(() -> budget(two), b -> b == 5, Duration.ofSeconds(10));
            } finally {
                two.close();
            }
            Wait.until(() -> budget(one), b -> b == 10, Duration.ofSeconds(10));
        }
    }

    private static int budget(AppHarness h) {
        return h.zohoOrgs().of("default").client().concurrency();
    }
}
