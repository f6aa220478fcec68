package io.sohbet.console;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;

import java.net.URI;

/**
 * What the console's page tests share: the console's address, the {@link ApiStub} in place of the APIs, and signing in
 * as a realm user through the real Keycloak ({@link Browser#signIn}) with the stub's record of calls cleared, so that a
 * test sees only the calls its own requests made. Subclasses are {@code @QuarkusTest}s.
 */
@QuarkusTestResource(value = ConsoleTestResource.class, restrictToAnnotatedClass = false)
public abstract class SignedInTest {

    @TestHTTPResource("/")
    protected URI console;

    @ConsoleTestResource.Stub
    protected ApiStub api;

    /** Signs {@code user} in (password = user name) and forgets the API calls made so far. */
    protected Browser signIn(String user) {
        Browser browser = Browser.signIn(console, user);
        api.clear();
        return browser;
    }
}
