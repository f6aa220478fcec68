package io.sohbet.consent.rest;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import com.deque.html.axecore.results.Rule;
import io.sohbet.devstack.browser.Browser;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URL;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The preference page in a real headless Chromium (Debian's, through devstack's {@link Browser}): opened from its link,
 * marketing withdrawn with the keyboard-reachable button, screenshots kept in {@code target/screenshots/}, axe-core
 * finds no WCAG 2.1 AA violation, and the withdrawal is in the ledger. Skipped when Chromium is not installed (fails
 * instead with {@code SOHBET_BROWSER_REQUIRED=true}, as in CI).
 */
@QuarkusTest
class PreferencePageBrowserTest {

    @TestHTTPResource("/")
    URL root;

    @Test
    void aPersonOpensTheLinkWithdrawsMarketingAndThePageIsAccessible() throws Throwable {
        PreferencePageTest.Person person = PreferencePageTest.Person.known("Tarayıcı Testi");
        String path = PreferencePageTest.selfLink(person, "tr");
        try (Browser browser = Browser.start()) {
            WebDriver driver = browser.driver();
            driver.get(root.toString().replaceAll("/$", "") + path);
            // the link's page only offers to open it (a scanner fetching the link does not use it)
            assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("İzin tercihleriniz");
            assertThat(driver.findElements(By.cssSelector("fieldset"))).isEmpty();
            browser.screenshot("preference-page-link");
            accessible(browser);
            driver.findElement(By.id("open-preferences")).click();
            new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(By.id("purpose-marketing")));
            assertThat(driver.getCurrentUrl()).endsWith("/preferences?lang=tr");
            assertThat(driver.findElement(By.cssSelector("#purpose-marketing dd.state")).getText()).isEqualTo("izin verildi");
            assertThat(Files.size(browser.screenshot("preference-page-opened"))).isPositive();
            accessible(browser);

            driver.findElement(By.id("withdraw-marketing")).click();
            new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("p[role=status]")));
            assertThat(driver.getCurrentUrl()).endsWith("/preferences?lang=tr&done=marketing");
            assertThat(driver.findElement(By.cssSelector("#purpose-marketing dd.state")).getText()).isEqualTo("geri çekildi");
            assertThat(driver.findElement(By.id("grant-marketing")).isDisplayed()).isTrue();
            browser.screenshot("preference-page-withdrawn");
            accessible(browser);

            driver.findElement(By.cssSelector("a[hreflang=en]")).click();
            assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Your consent preferences");
            assertThat(driver.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("en");
            browser.screenshot("preference-page-english");
            accessible(browser);
        }
        Map<String, Object> marketing = PreferencePageTest.current(person.subject(), "marketing");
        assertThat(marketing).containsEntry("state", "revoked").containsEntry("source", "preference-page");
    }

    static void accessible(Browser browser) {
        List<Rule> violations = browser.axe();
        assertThat(violations).withFailMessage(() -> "axe-core (WCAG 2.1 AA) violations:\n" + Browser.describe(violations)).isEmpty();
    }
}
