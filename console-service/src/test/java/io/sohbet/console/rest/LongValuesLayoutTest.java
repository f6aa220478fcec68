package io.sohbet.console.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.sohbet.console.Browser;
import io.sohbet.console.SignedInTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Long unbroken values (the consent notice's SHA-256, subject ids) in a real Chromium (devstack's browser: Debian's
 * chromium and chromium-driver; skipped when they are not installed). At a desktop width the lookup's tables fit the
 * page because the hash wraps inside its cell (its text stays whole); in a narrow window a table too wide for it
 * scrolls inside its own labelled, focusable region, never the whole page; axe-core finds no violation.
 */
@QuarkusTest
class LongValuesLayoutTest extends SignedInTest {

    private static final String SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final String LOOKUP = "/privacy/consents?subjectId=SUBJECTaaaaaaaaaaaaaaaa1";

    @Test
    void theConsentLookupsHashesWrapAndOnlyATableTooWideForTheWindowScrolls() {
        Browser privacy = signIn("privacy");
        try (io.sohbet.devstack.browser.Browser chromium = io.sohbet.devstack.browser.Browser.start()) {
            WebDriver page = chromium.driver();
            // the session of the person signed in above (the tokens stay in the console's encrypted cookies)
            page.get(console.resolve("/static/console.css").toString());
            privacy.consoleCookies().forEach((name, value) -> page.manage().addCookie(new Cookie(name, value, "/")));
            page.manage().addCookie(new Cookie("tz", "Europe/Istanbul", "/"));
            JavascriptExecutor js = (JavascriptExecutor) page;

            page.manage().window().setSize(new Dimension(1280, 900));
            page.get(console.resolve(LOOKUP).toString());
            chromium.screenshot("console-consent-lookup-1280px");
            assertThat(pageScrollsSideways(js)).isFalse();
            for (WebElement region : page.findElements(By.cssSelector(".table-scroll"))) {
                // the whole table is in view: nothing to scroll
                assertThat(number(js, "return arguments[0].scrollWidth - arguments[0].clientWidth;", region))
                        .as(region.getDomAttribute("aria-labelledby")).isLessThanOrEqualTo(1);
            }
            WebElement hash = page.findElement(By.cssSelector("#consent-current code[title='SHA-256']"));
            assertThat(number(js, "return arguments[0].getClientRects().length;", hash)).as("lines of the hash").isGreaterThan(1);
            assertThat(js.executeScript("return arguments[0].textContent;", hash)).isEqualTo(SHA256);
            assertThat(chromium.axe()).as(() -> io.sohbet.devstack.browser.Browser.describe(chromium.axe())).isEmpty();

            page.manage().window().setSize(new Dimension(900, 900));
            page.get(console.resolve(LOOKUP).toString());
            chromium.screenshot("console-consent-lookup-900px");
            assertThat(pageScrollsSideways(js)).isFalse();
            WebElement region = page.findElement(By.cssSelector(".table-scroll:has(#consent-current)"));
            assertThat(region.getDomAttribute("role")).isEqualTo("region");
            assertThat(region.getDomAttribute("tabindex")).isEqualTo("0");
            assertThat(page.findElement(By.id(region.getDomAttribute("aria-labelledby"))).getTagName()).isEqualTo("caption");
            assertThat(chromium.axe()).as(() -> io.sohbet.devstack.browser.Browser.describe(chromium.axe())).isEmpty();
        }
    }

    private static boolean pageScrollsSideways(JavascriptExecutor js) {
        return number(js, "return document.documentElement.scrollWidth - document.documentElement.clientWidth;") > 0;
    }

    private static long number(JavascriptExecutor js, String script, Object... args) {
        return ((Number) js.executeScript(script, args)).longValue();
    }
}
