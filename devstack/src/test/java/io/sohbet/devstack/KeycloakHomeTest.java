package io.sohbet.devstack;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A suite's Keycloak installation is unzipped whole or not at all, a copy whose first start never finished is made
 * again, and one that has started is kept (with its realm and users). A small zip shaped like Keycloak's distribution
 * stands in for the real one (~180 MB), which the end-to-end tests and the local run unzip for real.
 */
class KeycloakHomeTest {

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
        Path home = KeycloakHome.prepare(dir.resolve("suite"));

        assertThat(home.getFileName().toString()).isEqualTo("keycloak-" + KeycloakHome.VERSION);
        assertThat(home.resolve("bin/kc.sh")).isExecutable();
        assertThat(home.resolve("lib/lib/main/a.jar")).hasContent("jar");
    }

    @Test
    void throwsAwayWhatAKilledRunLeftAndACopyThatNeverStarted() throws IOException {
        Path suite = dir.resolve("suite");
        String name = "keycloak-" + KeycloakHome.VERSION;
        Path partial = Files.createDirectories(suite.resolve("." + name + ".partial-999999/bin"));
        Files.writeString(partial.resolve("kc.sh"), "half");
        Path neverStarted = Files.createDirectories(suite.resolve(name + "/data/h2"));
        Files.writeString(neverStarted.resolve("keycloakdb.mv.db"), "torn");

        Path home = KeycloakHome.prepare(suite);

        assertThat(ToolCache.leftOvers(suite, name)).isEmpty();
        assertThat(home.resolve("data")).doesNotExist();
        assertThat(home.resolve("bin/kc.sh")).content().startsWith("#!/bin/sh");
    }

    @Test
    void keepsACopyThatHasStarted() throws IOException {
        Path suite = dir.resolve("suite");
        Path home = KeycloakHome.prepare(suite);
        Files.createDirectories(home.resolve("data/h2"));
        Files.writeString(home.resolve("data/h2/keycloakdb.mv.db"), "realm and users");
        KeycloakHome.markStarted(home);

        assertThat(KeycloakHome.prepare(suite).resolve("data/h2/keycloakdb.mv.db")).hasContent("realm and users");
    }

    @Test
    void saysHowToGetTheDistributionWhenItIsMissing() {
        System.setProperty("sohbet.keycloak.zip", dir.resolve("absent.zip").toString());

        assertThatThrownBy(() -> KeycloakHome.prepare(dir.resolve("suite"))).hasMessageContaining("./mvnw install");
        assertThat(dir.resolve("suite")).isEmptyDirectory();
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
            OutputStream body = out;
            body.write(content.getBytes(StandardCharsets.UTF_8));
        }
        out.closeEntry();
    }
}
