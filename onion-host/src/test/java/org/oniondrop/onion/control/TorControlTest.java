package org.oniondrop.onion.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oniondrop.onion.keys.ClientAuthKey;
import org.oniondrop.onion.keys.HsIdentity;
import org.oniondrop.onion.service.ServiceConfig;

/**
 * The control client against a real, offline tor (DisableNetwork 1): a Unix control socket with a
 * hashed password, our key in ADD_ONION giving our address, client keys, DEL_ONION, and the
 * refusals. (Cookie and SAFECOOKIE authentication over TCP are exercised by the server's
 * TorBackendIT on a private Tor network.)
 */
class TorControlTest {

  static final Duration START = Duration.ofSeconds(30);
  static final String PASSWORD = "correct horse battery staple";

  @TempDir Path work;
  private Process tor;

  @AfterEach
  void stop() throws Exception {
    if (tor != null) {
      tor.destroy();
      if (!tor.waitFor(10, TimeUnit.SECONDS)) {
        tor.destroyForcibly();
      }
    }
  }

  private Path startTor() throws Exception {
    Process hash = new ProcessBuilder("tor", "--quiet", "--hash-password", PASSWORD).start();
    String hashed =
        new String(hash.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
    assertThat(hash.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(hashed).startsWith("16:");
    Path data = work.resolve("data");
    Files.createDirectories(data);
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
    Path socket = data.resolve("control.sock");
    Path torrc = work.resolve("torrc");
    Files.writeString(
        torrc,
        String.join(
            "\n",
            "DataDirectory " + data,
            "SocksPort 0",
            "DisableNetwork 1",
            "RunAsDaemon 0",
            "Log notice stdout",
            "ControlSocket " + socket,
            "HashedControlPassword " + hashed,
            ""));
    tor =
        new ProcessBuilder("tor", "-f", torrc.toString())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("tor.log").toFile())
            .start();
    Instant deadline = Instant.now().plus(START);
    while (!Files.exists(socket)) {
      assertThat(Instant.now()).as(Files.readString(work.resolve("tor.log"))).isBefore(deadline);
      Thread.sleep(100);
    }
    return socket;
  }

  @Test
  void addsOurKeyOverAUnixSocketWithAPasswordAndRemovesIt() throws Exception {
    Path socket = startTor();
    try (TorControl bad = TorControl.connect("unix:" + socket)) {
      assertThatThrownBy(() -> bad.authenticate(null, "wrong"))
          .isInstanceOf(TorControlException.class)
          .hasMessageContaining("refused authentication");
    }
    try (TorControl c = TorControl.connect("unix:" + socket)) {
      c.authenticate(null, PASSWORD);
      HsIdentity id = HsIdentity.generate(new SecureRandom());
      ClientAuthKey client = ClientAuthKey.generate(new SecureRandom());
      Map<Integer, InetSocketAddress> ports =
          Map.of(80, new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080));
      String label =
          c.addOnion(
              new ServiceConfig(
                  id, ports, List.of(client.publicKey()), ServiceConfig.DEFAULT_INTRO_POINTS));
      assertThat(label).isEqualTo(id.address().label());
      TorControl.Reply onions = c.command("GETINFO onions/current");
      assertThat(String.join("\n", onions.lines())).contains(label);
      // The same key twice is refused by tor, and we say so.
      assertThatThrownBy(
              () ->
                  c.addOnion(
                      new ServiceConfig(id, ports, List.of(), ServiceConfig.DEFAULT_INTRO_POINTS)))
          .isInstanceOf(TorControlException.class)
          .hasMessageContaining("ADD_ONION refused");
      c.delOnion(label);
      assertThat(String.join("\n", c.command("GETINFO onions/current").lines()))
          .doesNotContain(label);
      // With proof-of-work defences asked for (the source service's default), tor accepts the
      // service too: Debian's tor has the pow module.
      HsIdentity powId = HsIdentity.generate(new SecureRandom());
      String powLabel =
          c.addOnion(ServiceConfig.of(powId, 80, ports.get(80)).withPowDefenses(true));
      assertThat(String.join("\n", c.command("GETINFO onions/current").lines())).contains(powLabel);
      c.delOnion(powLabel);
      assertThatThrownBy(() -> c.command("GETINFO a\r\nSIGNAL HALT"))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void badAddressesAndSilenceAreClearErrors() {
    assertThatThrownBy(() -> TorControl.connect("no-port"))
        .isInstanceOf(TorControlException.class)
        .hasMessageContaining("host:port or unix:/path");
    assertThatThrownBy(() -> TorControl.connect("127.0.0.1:1"))
        .isInstanceOf(TorControlException.class)
        .hasMessageContaining("cannot connect");
    assertThatThrownBy(() -> TorControl.connect("unix:" + work.resolve("absent.sock")))
        .isInstanceOf(TorControlException.class);
  }
}
