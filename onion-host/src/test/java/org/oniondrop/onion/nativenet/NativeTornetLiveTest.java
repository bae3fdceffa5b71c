package org.oniondrop.onion.nativenet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.oniondrop.onion.circuit.DirClient;
import org.oniondrop.onion.circuit.OriginNode;
import org.oniondrop.onion.dir.JoinConfig;
import org.oniondrop.onion.link.LinkException;
import org.oniondrop.onion.link.LinkTarget;
import org.oniondrop.onion.link.TlsChannel;
import org.oniondrop.onion.net.RelayInfo;

/**
 * Against a running tornet ({@code TORNET_DIR} set, e.g. by {@code tools/tornet start --dir DIR}):
 * the directory bootstraps, every relay's link handshake verifies, a wrong identity is refused, and
 * a 3-hop circuit carries a BEGIN_DIR request. With {@code CAPTURE_DIR} set, the handshake
 * transcript of one relay is written there (how {@code link/relay-handshake.txt} was captured).
 */
@EnabledIfEnvironmentVariable(named = "TORNET_DIR", matches = ".+")
class NativeTornetLiveTest {

  @Test
  void joinsTornet() throws Exception {
    Path tornet = Path.of(System.getenv("TORNET_DIR"));
    JoinConfig join = JoinConfig.read(tornet.resolve("join.torrc"));
    Path data = Files.createTempDirectory("native-live");
    SecureRandom random = new SecureRandom();
    try (NativeNetwork net = NativeNetwork.start(join, data, Clock.systemUTC(), random)) {
      List<RelayInfo> relays = net.consensus().relays();
      assertThat(relays).hasSize(8);
      for (RelayInfo r : relays) {
        TlsChannel c =
            TlsChannel.open(LinkTarget.of(r), Clock.systemUTC(), NativeNetwork.LINK_TIMEOUT);
        assertThat(c.linkVersion()).isEqualTo(5);
        assertThat(c.identity().ed25519Id()).isEqualTo(r.ed25519Id());
        c.close();
      }
      RelayInfo first = relays.get(0);
      byte[] wrong = first.rsaId().clone();
      wrong[0] ^= 1;
      LinkTarget impostor =
          new LinkTarget(first.nickname(), first.ipv4(), first.orPort(), wrong, first.ed25519Id());
      assertThatThrownBy(
              () -> TlsChannel.open(impostor, Clock.systemUTC(), NativeNetwork.LINK_TIMEOUT))
          .isInstanceOf(LinkException.class)
          .hasMessageContaining("does not match the consensus identity");

      String capture = System.getenv("CAPTURE_DIR");
      if (capture != null) {
        TlsChannel c =
            TlsChannel.open(LinkTarget.of(first), Clock.systemUTC(), NativeNetwork.LINK_TIMEOUT);
        TlsChannel.Transcript t = c.transcript();
        HexFormat hex = HexFormat.of();
        String out =
            "# link handshake of C tor 0.4.9 relay "
                + first.nickname()
                + " captured "
                + Clock.systemUTC().instant()
                + "\nrsa_id "
                + hex.formatHex(first.rsaId())
                + "\ned25519_id "
                + hex.formatHex(first.ed25519Id())
                + "\ntls_certificate "
                + hex.formatHex(t.tlsCertificate())
                + "\nversions "
                + hex.formatHex(t.versions())
                + "\ncerts "
                + hex.formatHex(t.certs())
                + "\nauth_challenge "
                + hex.formatHex(t.authChallenge())
                + "\nnetinfo "
                + hex.formatHex(t.netinfo())
                + "\n";
        Files.writeString(Path.of(capture, "relay-handshake.txt"), out, StandardCharsets.US_ASCII);
        c.close();
      }

      OriginNode node = new OriginNode("live", net, random);
      List<RelayInfo> path = net.consensus().path(3, null, List.of(), random);
      DirClient.Response r =
          DirClient.get(node, path, "/tor/status-vote/current/consensus-microdesc")
              .get(60, TimeUnit.SECONDS);
      assertThat(r.status()).isEqualTo(200);
      assertThat(new String(r.body(), StandardCharsets.ISO_8859_1))
          .startsWith("network-status-version 3 microdesc");
      node.close();
    }
  }
}
