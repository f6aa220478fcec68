package io.sohbet.devstack;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A suite's Keycloak installation is unzipped whole or not at all, a copy whose first start never finished (or made
 * for another realm) is made again, one that has started is kept with its realm and users, and a second suite cannot
 * take a copy that is in use. A small zip shaped like Keycloak's distribution stands in for the real one (~180 MB),
 * which the end-to-end tests and the local run unzip for real (JourneyIT checks that its copy is marked started).
 */
class KeycloakHomeTest {

    private static final String REALM = "realm-1";

    @TempDir
    Path dir;

    @BeforeEach
    void smallDistribution() throws IOException {
        Path zip = dir.resolve("keycloak-quarkus-dist.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            entry(out, "keycloak-x/", null);
            entry(out, "keycloak-x/bin/", null);
            entry(out, "keycloak-x/bin/kc.sh", "#!/bin/sh\necho keycloak\n");
            entry(out, "keycloak-x/lib/lib/main/a.jar", "jar");
        }
        System.setProperty("sohbet.keycloak.zip", zip.toString());
    }

    @AfterEach
    void realDistribution() {
        System.clearProperty("sohbet.keycloak.zip");
    }

    @Test
    void unzipsWithoutTheTopFolderAndWithExecutableScripts() {
        try (KeycloakHome home = KeycloakHome.prepare(dir.resolve("suite"), REALM)) {
            assertThat(home.path().getFileName().toString()).isEqualTo("keycloak-" + KeycloakHome.VERSION);
            assertThat(home.path().resolve("bin/kc.sh")).isExecutable();
            assertThat(home.path().resolve("lib/lib/main/a.jar")).hasContent("jar");
        }
    }

    @Test
    void throwsAwayWhatAKilledRunLeftAndACopyThatNeverStarted() throws IOException {
        Path suite = dir.resolve("suite");
        String name = "keycloak-" + KeycloakHome.VERSION;
        Path partial = Files.createDirectories(suite.resolve("." + name + ".partial-999999/bin"));
        Files.writeString(partial.resolve("kc.sh"), "half");
        Path neverStarted = Files.createDirectories(suite.resolve(name + "/data/h2"));
        Files.writeString(neverStarted.resolve("keycloakdb.mv.db"), "torn");

        try (KeycloakHome home = KeycloakHome.prepare(suite, REALM)) {
            assertThat(ToolCache.leftOvers(suite, name)).isEmpty();
            assertThat(home.path().resolve("data")).doesNotExist();
            assertThat(home.path().resolve("bin/kc.sh")).content().startsWith("#!/bin/sh");
        }
    }

    @Test
    void keepsACopyThatHasStartedWithTheSameRealmOnly() throws IOException {
        Path suite = dir.resolve("suite");
        try (KeycloakHome home = KeycloakHome.prepare(suite, REALM)) {
            Files.createDirectories(home.path().resolve("data/h2"));
            Files.writeString(home.path().resolve("data/h2/keycloakdb.mv.db"), "realm and users");
            home.markStarted();
        }

        try (KeycloakHome again = KeycloakHome.prepare(suite, REALM)) {
            assertThat(again.path().resolve("data/h2/keycloakdb.mv.db")).hasContent("realm and users");
        }
        try (KeycloakHome newRealm = KeycloakHome.prepare(suite, "realm-2")) { // --import-realm skips a realm it has
            assertThat(newRealm.path().resolve("data")).doesNotExist();
        }
    }

    @Test
    void aSecondSuiteCannotTakeACopyInUse() {
        Path suite = dir.resolve("suite");
        try (KeycloakHome first = KeycloakHome.prepare(suite, REALM)) {
            assertThatThrownBy(() -> KeycloakHome.prepare(suite, REALM)).hasMessageContaining("another suite");
            assertThat(first.path().resolve("bin/kc.sh")).exists();
        }
        KeycloakHome.prepare(suite, REALM).close(); // free again once the first one is done
    }

    @Test
    void aSecondSuiteInAnotherProcessCannotTakeItEither() throws Exception {
        Path suite = dir.resolve("suite");
        try (KeycloakHome first = KeycloakHome.prepare(suite, REALM)) {
            Path log = dir.resolve("other.log");
            ChildProcess other = ChildProcess.java("other-suite", List.of("-Xmx32m",
                    "-Dsohbet.keycloak.zip=" + System.getProperty("sohbet.keycloak.zip")), Classpaths.own(),
                    KeycloakHomeProbe.class.getName(), List.of(suite.toString()), log, line -> line.startsWith("RESULT "));
            assertThat(other.awaitReady(java.time.Duration.ofSeconds(30))).contains("another suite");
            other.close();
            assertThat(first.path().resolve("bin/kc.sh")).exists();
        }
    }

    @Test
    void saysHowToGetTheDistributionWhenItIsMissing() {
        System.setProperty("sohbet.keycloak.zip", dir.resolve("absent.zip").toString());

        assertThatThrownBy(() -> KeycloakHome.prepare(dir.resolve("suite"), REALM)).hasMessageContaining("./mvnw install");
        assertThat(dir.resolve("suite/keycloak-" + KeycloakHome.VERSION)).doesNotExist();
    }

    @Test
    void theBuildRecordedWhereMavenKeepsTheDistribution() throws IOException {
        System.clearProperty("sohbet.keycloak.zip");

        assertThat(KeycloakHome.distribution().getFileName().toString())
                .isEqualTo("keycloak-quarkus-dist-" + KeycloakHome.VERSION + ".zip");
    }

    private static void entry(ZipOutputStream out, String name, String content) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        if (content != null) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        out.closeEntry();
    }
}
