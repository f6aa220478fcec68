package io.sohbet.console;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A person at the console, without a browser engine: java.net.http with a cookie jar, following the redirects by
 * hand. {@link #signIn} runs the real authorization-code flow: the console sends us to Keycloak (with a PKCE
 * challenge), we fill in Keycloak's own login form, Keycloak sends us back with a code, the console exchanges it and
 * sets its session cookies. The tokens never reach us: only the console's encrypted cookies do.
 */
public final class Browser {

    /** An answer: status, headers and body; {@link #html()} parses it. */
    public record Page(int status, java.net.http.HttpHeaders headers, String body, URI uri) {

        public Document html() {
            return Jsoup.parse(body, uri.toString());
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    private final URI console;
    /**
     * Cookies per host and port, as a browser keeps them for http://localhost: java.net's CookieManager sends no
     * {@code Secure} cookie over plain HTTP, while browsers treat localhost as a secure context (Keycloak marks its
     * login-session cookies Secure), so this jar keeps them by name and drops them when they expire.
     */
    private final Map<String, Map<String, String>> cookies = new java.util.concurrent.ConcurrentHashMap<>();
    private final HttpClient http;

    public Browser(URI console) {
        this.console = console;
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Signs in as a realm user (password = user name) through Keycloak's login page; returns the page we land on. */
    public static Browser signIn(URI console, String user) {
        Browser browser = new Browser(console);
        Page start = browser.get("/");
        if (start.status() != 302 || start.header("Location") == null) {
            throw new IllegalStateException("the console did not send us to sign in: " + start.status());
        }
        Page login = browser.send(HttpRequest.newBuilder(URI.create(start.header("Location"))).GET());
        if (login.status() != 200) {
            throw new IllegalStateException("Keycloak's login page answered " + login.status() + ": " + login.body());
        }
        Element form = login.html().selectFirst("form#kc-form-login");
        if (form == null) {
            throw new IllegalStateException("no login form on Keycloak's page");
        }
        Page back = browser.send(HttpRequest.newBuilder(URI.create(form.absUrl("action")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("username", user, "password", user, "credentialId", "")))));
        if (back.status() != 302 || !back.header("Location").startsWith(console.toString())) {
            throw new IllegalStateException("Keycloak did not send us back to the console: " + back.status() + " " + back.header("Location"));
        }
        Page landed = browser.send(HttpRequest.newBuilder(URI.create(back.header("Location"))).GET());
        // the console answers the code with a redirect to the page first asked for
        while (landed.status() == 302 && landed.header("Location") != null) {
            landed = browser.send(HttpRequest.newBuilder(landed.uri().resolve(landed.header("Location"))).GET());
        }
        if (landed.status() != 200) {
            throw new IllegalStateException("the console did not let us in: " + landed.status());
        }
        return browser;
    }

    public Page get(String path) {
        return get(path, Map.of());
    }

    public Page get(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(console.resolve(path)).GET();
        headers.forEach(request::header);
        return send(request);
    }

    /** A form POST with the headers given (an htmx call sends HX-Request and the page's Origin). */
    public Page post(String path, Map<String, String> form, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(console.resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form)));
        headers.forEach(request::header);
        return send(request);
    }

    /** The headers htmx sends from one of the console's pages. */
    public Map<String, String> htmx() {
        return Map.of("HX-Request", "true", "Origin", console.getScheme() + "://" + console.getRawAuthority());
    }

    /** The console's cookies (name → value). */
    public Map<String, String> consoleCookies() {
        return new LinkedHashMap<>(jar(console));
    }

    public void setCookie(String name, String value) {
        jar(console).put(name, value);
    }

    private Map<String, String> jar(URI uri) {
        return cookies.computeIfAbsent(uri.getHost() + ":" + uri.getPort(), k -> new java.util.concurrent.ConcurrentSkipListMap<>());
    }

    public Browser withoutCookies() {
        return new Browser(console);
    }

    private Page send(HttpRequest.Builder request) {
        try {
            HttpRequest probe = request.copy().build();
            Map<String, String> jar = jar(probe.uri());
            if (!jar.isEmpty()) {
                request.header("Cookie", jar.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining("; ")));
            }
            HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
            HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
            for (String header : response.headers().allValues("Set-Cookie")) {
                for (HttpCookie cookie : HttpCookie.parse(header)) {
                    if (cookie.hasExpired() || cookie.getMaxAge() == 0) {
                        jar.remove(cookie.getName());
                    } else {
                        jar.put(cookie.getName(), cookie.getValue());
                    }
                }
            }
            return new Page(response.statusCode(), response.headers(), response.body(), built.uri());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    public static List<String> texts(Document page, String selector) {
        return page.select(selector).stream().map(Element::text).toList();
    }
}
