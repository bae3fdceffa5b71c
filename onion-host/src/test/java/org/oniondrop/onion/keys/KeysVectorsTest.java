package org.oniondrop.onion.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.oniondrop.onion.Vectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oniondrop.onion.Vectors;
import org.oniondrop.onion.crypto.ExpandedEd25519Key;
import org.oniondrop.onion.hsdir.TimePeriod;

/** onion-address.json, key-blinding.json, subcredential.json. */
class KeysVectorsTest {

  @Test
  void onionAddresses() throws Exception {
    for (JsonNode v : Vectors.load("onion-address.json")) {
      String name = v.get("name").asText();
      String address = v.get("onion_address").asText();
      if (v.has("expected")) {
        assertThatThrownBy(() -> OnionAddress.parse(address))
            .as(name)
            .isInstanceOf(OnionAddressException.class)
            .hasMessage(
                switch (name) {
                  case "invalid_version_4" -> "unsupported onion address version 4";
                  case "invalid_checksum" -> "onion address checksum does not match";
                  default -> "onion address has a subdomain";
                });
        continue;
      }
      byte[] pub = hex(v, "ed25519_identity_pubkey");
      assertThat(OnionAddress.of(pub).toString()).as(name).isEqualTo(address);
      OnionAddress parsed = OnionAddress.parse(address.toUpperCase());
      assertThat(parsed.publicKey()).isEqualTo(pub);
      assertThat(parsed.toString()).isEqualTo(address);
    }
  }

  @Test
  void malformedAddressesSayWhy() {
    assertThatThrownBy(() -> OnionAddress.parse("short.onion"))
        .hasMessage("onion address must be 56 base32 characters, got 5");
    assertThatThrownBy(() -> OnionAddress.parse("1".repeat(56)))
        .hasMessage("onion address has characters outside base32");
    // A key with a torsion component: valid checksum and version, invalid key.
    byte[] lowOrder = hex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05");
    assertThatThrownBy(() -> OnionAddress.parse(OnionAddress.of(lowOrder).toString()))
        .hasMessage("onion address key is not a valid ed25519 identity key");
  }

  @Test
  void theValidatedKeyCacheNeverLetsAnInvalidKeyThrough() throws Exception {
    byte[] lowOrder = hex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05");
    String bad = OnionAddress.of(lowOrder).toString();
    String good = HsIdentity.generate(new java.security.SecureRandom()).address().toString();
    for (int i = 0; i < 3; i++) {
      // Parsed again and again (the second time from the cache), the valid key stays valid...
      assertThat(OnionAddress.parse(good).toString()).isEqualTo(good);
      // ...and the torsioned one is refused every time: refusals are never cached as passes.
      assertThatThrownBy(() -> OnionAddress.parse(bad))
          .hasMessage("onion address key is not a valid ed25519 identity key");
    }
    assertThat(OnionAddress.VALIDATED_KEYS_CACHED).isPositive();
  }

  @Test
  void blindingAndSubcredentialOfCTorBasics() throws Exception {
    JsonNode v = Vectors.named("key-blinding.json", "c_tor_blinding_basics");
    HsIdentity id = HsIdentity.fromExpandedSecret(hex(v, "identity_expanded_secret_key"));
    assertThat(id.publicKey()).isEqualTo(hex(v, "identity_pubkey"));
    TimePeriod tp = TimePeriod.containing(Instant.parse(v.get("time").asText()));
    assertThat(tp.number()).isEqualTo(v.get("time_period_num").asLong());
    assertThat(ExpandedEd25519Key.blindingFactor(id.publicKey(), tp.number(), tp.lengthMinutes()))
        .isEqualTo(hex(v, "blinding_factor_h_unclamped"));
    BlindedIdentity blinded = id.blind(tp);
    assertThat(blinded.publicKey()).isEqualTo(hex(v, "blinded_pubkey"));
    assertThat(blinded.signingKey().expandedSecret())
        .isEqualTo(hex(v, "blinded_expanded_secret_key"));
    assertThat(blinded.subcredential()).isEqualTo(hex(v, "subcredential"));
    assertThat(HsIdentity.blindedPublicKey(id.publicKey(), tp)).isEqualTo(hex(v, "blinded_pubkey"));
  }

  @Test
  void artiBlindingFromThePublicKeyOnly() throws Exception {
    JsonNode v = Vectors.named("key-blinding.json", "arti_hsdesc2_blinding");
    TimePeriod tp = TimePeriod.containing(Instant.parse(v.get("time").asText()));
    assertThat(tp.number()).isEqualTo(19397);
    assertThat(HsIdentity.blindedPublicKey(hex(v, "identity_pubkey"), tp))
        .isEqualTo(hex(v, "blinded_pubkey"));
  }

  @Test
  void credentialsAndSubcredentials() {
    for (JsonNode v : Vectors.load("subcredential.json")) {
      if (!v.has("identity_pubkey")) {
        continue;
      }
      assertThat(BlindedIdentity.credential(hex(v, "identity_pubkey")))
          .isEqualTo(hex(v, "credential"));
      assertThat(BlindedIdentity.subcredential(hex(v, "identity_pubkey"), hex(v, "blinded_pubkey")))
          .isEqualTo(hex(v, "subcredential"));
    }
  }

  @Test
  void keyFilesRoundTripAndCatchInconsistencies(@TempDir Path dir) throws Exception {
    HsIdentity id = HsIdentity.generate(new SecureRandom());
    TorKeyFiles.write(dir, id);
    assertThat(Files.size(dir.resolve("hs_ed25519_secret_key"))).isEqualTo(96);
    assertThat(Files.size(dir.resolve("hs_ed25519_public_key"))).isEqualTo(64);
    assertThat(Files.readString(dir.resolve("hostname"))).isEqualTo(id.address() + "\n");
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("hs_ed25519_secret_key"))))
        .isEqualTo("rw-------");
    assertThat(TorKeyFiles.read(dir).address()).isEqualTo(id.address());

    Files.writeString(dir.resolve("hostname"), "aaaa.onion\n");
    assertThatThrownBy(() -> TorKeyFiles.read(dir))
        .isInstanceOf(KeyFileException.class)
        .hasMessageEndingWith("hostname does not match the secret key");
    Files.write(dir.resolve("hs_ed25519_secret_key"), new byte[95]);
    assertThatThrownBy(() -> TorKeyFiles.read(dir))
        .isInstanceOf(KeyFileException.class)
        .hasMessageEndingWith("must be 96 bytes, is 95");
  }

  @Test
  void clientAuthFilesRoundTrip(@TempDir Path dir) throws Exception {
    ClientAuthKey key = ClientAuthKey.generate(new SecureRandom());
    OnionAddress address = HsIdentity.generate(new SecureRandom()).address();
    key.writeAuth(dir, "alice");
    key.writeAuthPrivate(dir, "alice", address);
    assertThat(Files.readString(dir.resolve("alice.auth")))
        .matches("descriptor:x25519:[A-Z2-7]{52}\n");
    assertThat(ClientAuthKey.readAuth(dir.resolve("alice.auth"))).isEqualTo(key.publicKey());
    ClientAuthKey.ClientCredential back =
        ClientAuthKey.readAuthPrivate(dir.resolve("alice.auth_private"));
    assertThat(back.address()).isEqualTo(address);
    assertThat(back.key().publicKey()).isEqualTo(key.publicKey());
    Files.writeString(dir.resolve("bad.auth"), "descriptor:x25519:nope\n");
    assertThatThrownBy(() -> ClientAuthKey.readAuth(dir.resolve("bad.auth")))
        .hasMessageEndingWith("key is not 52 base32 characters (32 bytes)");
    assertThatThrownBy(() -> key.writeAuth(dir, "../escape"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
