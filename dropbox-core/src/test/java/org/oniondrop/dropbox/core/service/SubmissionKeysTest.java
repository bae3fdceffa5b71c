package org.oniondrop.dropbox.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oniondrop.crypto.pgp.GeneratedKeyPair;
import org.oniondrop.crypto.pgp.KeyRejectedException;
import org.oniondrop.dropbox.core.config.DropboxConfig;

/**
 * The submission key: the configured key is loaded and validated, a rotation is kept for restarts
 * and takes precedence over the configured file, a refused key leaves the current one in place, and
 * every refusal of the parser has its own typed reason.
 */
class SubmissionKeysTest {

  @TempDir Path data;

  private DropboxConfig config(Path key) {
    return SourceIdentityTest.config(data, "scrypt:N=16,r=1,p=1", true, null, null, key);
  }

  private Path keyFile(String name, GeneratedKeyPair pair) throws Exception {
    Path file = data.resolve(name);
    Files.writeString(file, pair.armoredCertificate(), StandardCharsets.US_ASCII);
    return file;
  }

  private static GeneratedKeyPair pair(String who) {
    return GeneratedKeyPair.curve25519(who + " <" + who + "@example.invalid>", Instant.now(), null);
  }

  @Test
  void noConfiguredKeyMeansNoneAndNoEncryptor() {
    SubmissionKeys keys = new SubmissionKeys(config(null));

    assertThat(keys.isPresent()).isFalse();
    assertThatThrownBy(keys::current)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no submission key is configured");
    assertThatThrownBy(keys::toSubmissionKey).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aRotationIsKeptAndWinsOverTheConfiguredKeyAfterARestart() throws Exception {
    // Given a configured key
    GeneratedKeyPair configured = pair("configured");
    SubmissionKeys keys = new SubmissionKeys(config(keyFile("configured.asc", configured)));
    assertThat(keys.current().fingerprint()).isEqualTo(configured.fingerprint());

    // When an admin rotates to a new one
    GeneratedKeyPair rotated = pair("rotated");
    keys.rotate(rotated.armoredCertificate().getBytes(StandardCharsets.US_ASCII));

    // Then it is in use, stored (no temporary file left), and a restart finds it, not the old one
    assertThat(keys.current().fingerprint()).isEqualTo(rotated.fingerprint());
    Path stored = data.resolve("keys").resolve("submission-public-key.asc");
    assertThat(stored).isEqualTo(keys.rotatedKeyFile());
    assertThat(Files.readString(stored, StandardCharsets.US_ASCII))
        .isEqualTo(keys.current().armored());
    try (Stream<Path> files = Files.list(stored.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactly("submission-public-key.asc");
    }
    SubmissionKeys restarted = new SubmissionKeys(config(data.resolve("configured.asc")));
    assertThat(restarted.current().fingerprint()).isEqualTo(rotated.fingerprint());
  }

  @Test
  void aRefusedKeyLeavesTheCurrentOneAndTheFileAsTheyWere() throws Exception {
    GeneratedKeyPair configured = pair("configured");
    SubmissionKeys keys = new SubmissionKeys(config(keyFile("configured.asc", configured)));

    assertThatThrownBy(() -> keys.rotate("not a key".getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOfSatisfying(
            JournalistError.class,
            e -> assertThat(e.reason()).isEqualTo(JournalistError.Reason.KEY_MALFORMED));
    GeneratedKeyPair secret = pair("secret");
    assertThatThrownBy(
            () -> keys.rotate(secret.armoredSecretKey().getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOfSatisfying(
            JournalistError.class,
            e -> assertThat(e.reason()).isEqualTo(JournalistError.Reason.KEY_SECRET_GIVEN));

    assertThat(keys.current().fingerprint()).isEqualTo(configured.fingerprint());
    assertThat(keys.rotatedKeyFile()).doesNotExist();
  }

  @Test
  void aKeyThatCannotBeStoredIsRefusedAndNotUsed() throws Exception {
    GeneratedKeyPair configured = pair("configured");
    SubmissionKeys keys = new SubmissionKeys(config(keyFile("configured.asc", configured)));
    Files.writeString(data.resolve("keys"), "a file where the directory should be");

    assertThatThrownBy(() -> keys.rotate(pair("new").armoredCertificate().getBytes()))
        .isInstanceOfSatisfying(
            JournalistError.class,
            e -> assertThat(e.reason()).isEqualTo(JournalistError.Reason.KEY_NOT_STORED));
    assertThat(keys.current().fingerprint()).isEqualTo(configured.fingerprint());
  }

  @Test
  void aRefusedConfiguredKeyRefusesToStart() throws Exception {
    assertThat(SubmissionKeys.class).hasAnnotation(io.quarkus.runtime.Startup.class);
    Path bad = data.resolve("bad.asc");
    Files.writeString(bad, "not a key");

    assertThatThrownBy(() -> new SubmissionKeys(config(bad)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("the submission key was refused");
  }

  @Test
  void everyRefusalOfTheParserHasItsOwnKeyReason() {
    Set<JournalistError.Reason> mapped =
        EnumSet.allOf(KeyRejectedException.Reason.class).stream()
            .map(SubmissionKeys::refusal)
            .collect(Collectors.toSet());

    assertThat(mapped)
        .hasSize(KeyRejectedException.Reason.values().length)
        .allMatch(r -> r.name().startsWith("KEY_"))
        .doesNotContain(JournalistError.Reason.KEY_NOT_STORED);
  }
}
