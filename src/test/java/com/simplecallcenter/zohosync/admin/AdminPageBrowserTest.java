package com.simplecallcenter.zohosync.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.simplecallcenter.zohosync.support.AppHarness;
import com.simplecallcenter.zohosync.support.CanonicalEvent;
import com.simplecallcenter.zohosync.support.Http;
import com.simplecallcenter.zohosync.support.Wait;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin page in a real browser (headless Chromium driven by Selenium), against the real app and the Zoho sandbox
 * over HTTP, as a tenant's admin uses it: sign in, connect Zoho through the sandbox's consent page, map an agent,
 * change a field rule and switch a route, replay a failure, send a test call. Each test leaves a screenshot in
 * target/screenshots/ and fails on any error in the browser's console (a CSP violation shows there). Without Chromium
 * and chromedriver the class is skipped, loudly.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminPageBrowserTest {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static AppHarness h;
    static WebDriver browser;
    static String acmeToken;
    static String acmeSecret;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        String chromium = firstExisting(System.getenv("SCC_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
        String driver = firstExisting(System.getenv("SCC_CHROMEDRIVER"), "/usr/bin/chromedriver");
        if (chromium == null || driver == null) {
            System.err.println("\n**************** BROWSER TESTS SKIPPED: " + (chromium == null ? "no Chromium" : "no chromedriver")
                    + " found (install with: apt-get install -y chromium chromium-driver; or set SCC_CHROMIUM / SCC_CHROMEDRIVER)"
                    + " — the admin page was NOT tested in a browser ****************\n");
            Assumptions.abort("BROWSER TESTS SKIPPED: Chromium or chromedriver not installed");
        }
        h = AppHarness.on("t_admin_browser").notConnected().browserOnLocalhost().start();
        h.sandbox().addUser("dana.ruiz@acme.example", "Dana Ruiz", "active");
        HttpResponse<String> created = h.request("POST", "/api/v1/tenants", "{\"id\":\"acme\",\"name\":\"Acme Support\"}", AppHarness.ADMIN);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode t = AppHarness.json(created.body());
        acmeToken = t.get("adminToken").asText();
        acmeSecret = t.get("webhookSecret").asText();
        base = h.browserUrl();

        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1600",
                "--disable-extensions", "--no-first-run", "--lang=en-US");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(driver)).usingAnyFreePort().build();
        try {
            browser = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            h.close();
            throw e;
        }
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
        // an element of the page a click leads to may not be there yet when the click returns
        browser.manage().timeouts().implicitlyWait(Duration.ofSeconds(5));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (h != null) {
            h.close();
        }
    }

    /** Each test: a screenshot of where it ended, and no error in the browser's console. */
    @AfterEach
    void screenshotAndConsole(TestInfo info) throws Exception {
        Path shot = SCREENSHOTS.resolve("admin-" + info.getTestMethod().orElseThrow().getName() + ".png");
        Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), shot, StandardCopyOption.REPLACE_EXISTING);
        List<LogEntry> severe = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertThat(severe).as("errors in the browser's console").isEmpty();
    }

    static String firstExisting(String... paths) {
        for (String p : paths) {
            if (p != null && Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        return null;
    }

    static WebElement find(String css) {
        return browser.findElement(By.cssSelector(css));
    }

    static String text(String css) {
        return find(css).getText();
    }

    /** Waits for the message of the action just taken (the click's page load may still be under way). */
    static void flash(String expected) {
        waiting().until(d -> d.findElements(By.cssSelector(".flash")).stream().anyMatch(e -> e.getText().contains(expected)));
    }

    static WebDriverWait waiting() {
        // an element found on the page a click is leaving goes stale when the next page replaces it: look again
        return (WebDriverWait) new WebDriverWait(browser, Duration.ofSeconds(15), Duration.ofMillis(100))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    static void postAcme(CanonicalEvent event) {
        HttpResponse<String> r = Http.send(Http.signed(h.port(), "/api/v1/tenants/acme/calls/events", event.json(), acmeSecret,
                "msg_" + System.nanoTime()));
        assertThat(r.statusCode()).as(r.body()).isIn(200, 202);
    }

    static String acmeStatus(String callId) {
        List<String> s = h.db().queryForList("SELECT status FROM call_sync WHERE tenant_id = 'acme' AND call_id = ?", String.class, callId);
        return s.isEmpty() ? null : s.get(0);
    }

    @Test
    @Order(1)
    void signInAndConnectZohoThroughTheConsentPage() {
        // a call of an agent not mapped yet, waiting for Zoho
        postAcme(CanonicalEvent.ended("br-1").from("+14155550123").status("answered")
                .members("\"agent\":{\"id\":\"ag_17\",\"email\":\"dana@callcentre.example\",\"name\":\"Dana Ruiz\"}"));

        browser.get(base + "/admin");
        assertThat(browser.getTitle()).contains("Sign in");
        find("#token").sendKeys(acmeToken);
        find("form.signin button[type=submit]").click();
        waiting().until(d -> d.getTitle().startsWith("Admin"));

        assertThat(text("header.top")).contains("Tenant acme");
        assertThat(text("#setup")).contains("Zoho CRM not connected", "1 agent not mapped");
        assertThat(find("#setup li.bad").getText()).contains("Zoho CRM not connected");

        // "Connect Zoho CRM": the sandbox's consent page approves at once and sends the browser back to the callback
        find("#zoho a.button[href*='oauth/zoho/connect']").click();
        waiting().until(d -> d.getPageSource().contains("Back to the admin page"));
        assertThat(browser.getPageSource()).contains(AppHarness.ADMIN_USER_EMAIL);
        browser.findElement(By.linkText("Back to the admin page")).click();
        waiting().until(d -> d.getTitle().startsWith("Admin"));

        String setup = text("#setup");
        assertThat(setup).contains("Zoho CRM connected", AppHarness.ADMIN_USER_EMAIL, "Call-id field SCC_Call_ID on Calls and Tasks", "Found on both modules");
        assertThat(text("#zoho")).contains("Connected", "Disconnect");
        assertThat(h.request("GET", "/api/v1/tenants/acme/admin/zoho", null, acmeToken).body()).contains("\"state\":\"connected\"");
        // the webhook URL of the tenant, ready to copy, and when its last webhook arrived
        assertThat(find("#url-canonical").getAttribute("value")).endsWith("/api/v1/tenants/acme/calls/events");
        assertThat(setup).contains("Last webhook arrived");
    }

    @Test
    @Order(2)
    void mapAnAgentToAZohoUserPickedFromTheUsersApi() {
        browser.get(base + "/admin#agents");
        WebElement row = find("#agents tr.unmapped");
        assertThat(row.getText()).contains("Dana Ruiz", "ag_17", "dana@callcentre.example");
        new Select(row.findElement(By.tagName("select"))).selectByVisibleText("Dana Ruiz <dana.ruiz@acme.example>");
        find("form.agents button[type=submit]").click();

        flash("Agent mapping saved");
        assertThat(find("#agents").getAttribute("innerHTML")).doesNotContain("class=\"unmapped\"");
        assertThat(h.request("GET", "/api/v1/tenants/acme/admin/agents", null, acmeToken).body()).contains("\"agent\":\"ag_17\"");
        assertThat(text("#setup")).contains("Agents mapped");
    }

    @Test
    @Order(3)
    void changeAFieldRuleAndSwitchAnOptionalRoute() {
        browser.get(base + "/admin#writing");
        find("form.settings input[name='createMissing'][value='Contacts']").click();
        WebElement company = find("form.settings input[name='updateFields.Company']");
        assertThat(company.isSelected()).isFalse();
        company.click();
        new Select(find("#defaultOwnerId")).selectByVisibleText("Dana Ruiz <dana.ruiz@acme.example>");
        find("form.settings button[type=submit]").click();

        flash("Saved");
        JsonNode tenant = AppHarness.json(h.request("GET", "/api/v1/tenants/acme", null, acmeToken).body());
        assertThat(tenant.toString()).contains("\"createMissing\":\"Contacts\"").contains("Company");
        assertThat(find("form.settings input[name='updateFields.Company']").isSelected()).isTrue();
        assertThat(text("#setup")).contains("Calls of unmapped agents go to Dana Ruiz");

        find("form[action$='features/followup-tasks'] button").click();
        flash("followup-tasks switched on");
        assertThat(h.request("GET", "/api/v1/tenants/acme/admin/features", null, acmeToken).body())
                .contains("{\"name\":\"followup-tasks\",\"enabled\":true");
    }

    @Test
    @Order(4)
    void replayTheFailuresOfOneKind() {
        // Zoho refuses the Call for a reason retrying cannot fix: the call is dead until someone replays it
        h.sandbox().failWhen(r -> r.method().equals("POST") && r.path().equals("/crm/v8/Calls"), 400, "INVALID_DATA");
        try {
            postAcme(CanonicalEvent.ended("br-dead").from("+14155550124").status("answered"));
            Wait.until(() -> acmeStatus("br-dead"), "dead"::equals);
        } finally {
            h.sandbox().clearFaults();
        }
        browser.get(base + "/admin#calls");
        assertThat(text("#calls")).contains("INVALID_DATA", "br-dead");
        find("#calls ul.failures button").click();
        flash("1 call(s) that failed with INVALID_DATA are being synced again");
        Wait.until(() -> acmeStatus("br-dead"), "synced"::equals);
        browser.navigate().refresh();
        assertThat(text("#calls")).contains("No call is failing.");
        // the synced call links to its Call and its person in Zoho (here: the sandbox's own pages)
        String callLink = browser.findElements(By.cssSelector("#calls a[href*='/crm/tab/Calls/']")).get(0).getAttribute("href");
        assertThat(Http.get(callLink).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(5)
    void sendATestCallAndSeeItsCallInZoho() {
        browser.get(base + "/admin#test-call");
        find("#number").sendKeys("not a number");
        find("form.test-call button[type=submit]").click();
        // refused with the reason, the number still there
        assertThat(text("#number-error")).contains("Enter a phone number");
        assertThat(find("#number").getAttribute("value")).isEqualTo("not a number");
        // the browser reports the page's 400 in its console: that one is meant, nothing else may be there
        assertThat(browser.manage().logs().get(LogType.BROWSER).getAll()).allSatisfy(e ->
                assertThat(e.getMessage()).contains("/admin/test-call", "400"));

        find("#number").clear();
        find("#number").sendKeys("+1 415 555 0177");
        find("form.test-call button[type=submit]").click();
        flash("Test call sent");
        // the page's script follows the call until it is in Zoho
        WebElement link = waiting().until(d -> d.findElements(By.partialLinkText("Open the Call in Zoho")).stream().findFirst().orElse(null));
        String href = link.getAttribute("href");
        assertThat(href).startsWith(h.sandbox().baseUrl() + "/crm/tab/Calls/");
        String zohoCallId = href.substring(href.lastIndexOf('/') + 1);
        assertThat(h.sandbox().record("Calls", zohoCallId)).containsKey("SCC_Call_ID");
        assertThat(String.valueOf(h.sandbox().record("Calls", zohoCallId).get("SCC_Call_ID"))).startsWith("scc-test-");

        // the screenshot of the README: the top of the page, on a laptop
        ((JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0)");
    }

    @Test
    @Order(6)
    void readableOnAPhone() throws Exception {
        // a phone's viewport (a desktop window cannot be made that narrow)
        ((ChromeDriver) browser).executeCdpCommand("Emulation.setDeviceMetricsOverride",
                java.util.Map.of("width", 390, "height", 844, "deviceScaleFactor", 1, "mobile", true));
        try {
            browser.get(base + "/admin");
            Object overflow = ((JavascriptExecutor) browser).executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Object wide = ((JavascriptExecutor) browser).executeScript("var w = document.documentElement.clientWidth, out = [];"
                    + "document.querySelectorAll('body *').forEach(function (e) { var r = e.getBoundingClientRect();"
                    + " if (r.right > w + 1 && !e.closest('.scroll')) { out.push(e.tagName + '.' + e.className + ' ' + Math.round(r.right)); } });"
                    + "return out.slice(0, 10).join(', ');");
            assertThat(((Number) overflow).intValue()).as("the page is no wider than the phone; too wide: " + wide).isLessThanOrEqualTo(0);
            // keyboard: the first Tab reaches the skip link
            ((JavascriptExecutor) browser).executeScript("document.activeElement.blur()");
            browser.switchTo().activeElement().sendKeys(org.openqa.selenium.Keys.TAB);
            assertThat(browser.switchTo().activeElement().getText()).isEqualTo("Skip to content");
            Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOTS.resolve("admin-phone.png"),
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            ((ChromeDriver) browser).executeCdpCommand("Emulation.clearDeviceMetricsOverride", java.util.Map.of());
        }
    }

    @Test
    @Order(7)
    void typeACallSubjectTemplateSeeItsPreviewOnTheLastCallAndSaveIt() {
        browser.get(base + "/admin#writing");
        WebElement preview = find("#subject-preview");
        // the values of the most recent call, as the server put them on the page
        JsonNode values = AppHarness.json(preview.getAttribute("data-values"));
        assertThat(text("form.subject")).contains("{fromTo}", "{agent}", "{callId}");
        // a mark on this page: gone if the page were loaded again
        ((JavascriptExecutor) browser).executeScript("window.sccNoReload = true");

        WebElement input = find("#subjectTemplate");
        input.clear();
        input.sendKeys("{callId} / {Direction} {number} {bogus}");
        // an unknown placeholder is shown as typed, with a warning that saving will refuse it
        waiting().until(d -> find("#subject-warning").isDisplayed());
        assertThat(text("#subject-warning")).contains("Unknown placeholder {bogus}");
        for (int i = 0; i < " {bogus}".length(); i++) {
            input.sendKeys(org.openqa.selenium.Keys.BACK_SPACE);
        }
        String expected = values.get("callId").asText() + " / " + values.get("Direction").asText() + " " + values.get("number").asText();
        waiting().until(d -> expected.equals(find("#subject-preview").getText()));
        assertThat(find("#subject-warning").isDisplayed()).isFalse();
        assertThat(((JavascriptExecutor) browser).executeScript("return window.sccNoReload === true")).isEqualTo(true);
        ((JavascriptExecutor) browser).executeScript("document.getElementById('subject-preview').scrollIntoView({block: 'center'})");
        try {
            Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOTS.resolve("admin-subject-preview.png"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }

        find("form.subject button[type=submit]").click();
        flash("Call subject saved");
        assertThat(AppHarness.json(h.request("GET", "/api/v1/tenants/acme", null, acmeToken).body()).get("settings").get("subjectTemplate").asText())
                .isEqualTo("{callId} / {Direction} {number}");
        // the server renders the saved template the same way
        assertThat(text("#subject-preview")).isEqualTo(expected);
        assertThat(find("#subjectTemplate").getAttribute("value")).isEqualTo("{callId} / {Direction} {number}");
        ((JavascriptExecutor) browser).executeScript("document.getElementById('subject-preview').scrollIntoView({block: 'center'})");
    }
}
