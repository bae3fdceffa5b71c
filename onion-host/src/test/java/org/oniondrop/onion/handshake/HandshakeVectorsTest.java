package org.oniondrop.onion.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.oniondrop.onion.Vectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.oniondrop.onion.Vectors;
import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.cell.Introduce1;
import org.oniondrop.onion.cell.IntroducePlaintext;
import org.oniondrop.onion.crypto.CryptoException;

/** ntor.json (Arti testvec) and hs-ntor.json (rend-spec App. G.1), byte for byte. */
class HandshakeVectorsTest {

  @Test
  void ntorBothSides() throws Exception {
    JsonNode v = Vectors.named("ntor.json", "arti_ntor_testvec");
    X25519Keys b = X25519Keys.fromSecret(hex(v, "relay_ntor_b"));
    assertThat(b.publicKey()).isEqualTo(hex(v, "relay_ntor_B"));
    X25519Keys x = X25519Keys.fromSecret(hex(v, "client_x"));
    Ntor.ClientState client = Ntor.client(hex(v, "relay_rsa_id"), b.publicKey(), x);
    assertThat(client.onionskin()).isEqualTo(hex(v, "client_handshake"));

    Ntor.ServerResult server =
        Ntor.server(
            client.onionskin(),
            hex(v, "relay_rsa_id"),
            b,
            X25519Keys.fromSecret(hex(v, "server_y")));
    assertThat(server.reply()).isEqualTo(hex(v, "server_handshake"));
    byte[] keys = client.complete(server.reply());
    assertThat(keys).isEqualTo(server.keyMaterial());
    assertThat(Arrays.copyOf(keys, 72)).isEqualTo(hex(v, "key_material_72"));
    assertThat(Arrays.copyOfRange(keys, 72, 92)).isEqualTo(hex(v, "KH_rend_nonce"));

    byte[] tampered = server.reply();
    tampered[40] ^= 1;
    assertThatThrownBy(() -> client.complete(tampered))
        .isInstanceOf(CryptoException.class)
        .hasMessage("ntor AUTH does not verify");
    assertThatThrownBy(() -> Ntor.server(client.onionskin(), new byte[20], b, new SecureRandom()))
        .hasMessage("ntor onionskin is for another relay or onion key");
  }

  @Test
  void hsNtorAppendixG() throws Exception {
    JsonNode v = Vectors.named("hs-ntor.json", "rend_spec_appendix_G1");
    byte[] authKey = hex(v, "KP_hs_ipt_sid_auth_key");
    X25519Keys b = X25519Keys.fromSecret(hex(v, "KS_hss_ntor_b"));
    assertThat(b.publicKey()).isEqualTo(hex(v, "KP_hss_ntor_B"));
    byte[] subcred = hex(v, "N_hs_subcred");
    X25519Keys x = X25519Keys.fromSecret(hex(v, "client_x"));
    assertThat(x.publicKey()).isEqualTo(hex(v, "client_X"));

    byte[] introKeys =
        HsNtor.introKeys(
            X25519Keys.dh(x.secret(), b.publicKey()),
            authKey,
            x.publicKey(),
            b.publicKey(),
            subcred);
    assertThat(Arrays.copyOf(introKeys, 32)).isEqualTo(hex(v, "ENC_KEY"));
    assertThat(Arrays.copyOfRange(introKeys, 32, 64)).isEqualTo(hex(v, "MAC_KEY"));

    // The client builds exactly C tor's INTRODUCE1 from the same plaintext and X.
    IntroducePlaintext plaintext = IntroducePlaintext.decode(ByteReader.of(hex(v, "plaintext_P")));
    HsNtor.ClientState client =
        HsNtor.clientWithPlaintext(authKey, b.publicKey(), subcred, hex(v, "plaintext_P"), x);
    assertThat(client.introduce1().toBytes()).isEqualTo(hex(v, "introduce1_body"));

    // The service opens it and answers with App. G's RENDEZVOUS1 handshake info.
    Introduce1 received = Introduce1.decode(ByteReader.of(hex(v, "introduce1_body")));
    HsNtor.ServiceResult service =
        HsNtor.service(
            received,
            b,
            new byte[][] {new byte[32], subcred},
            X25519Keys.fromSecret(hex(v, "service_y")));
    assertThat(service.plaintext().rendezvousCookie()).isEqualTo(plaintext.rendezvousCookie());
    assertThat(service.handshakeInfo()).isEqualTo(hex(v, "rendezvous1_handshake_info"));
    assertThat(service.keyMaterial()).isEqualTo(hex(v, "key_expansion_128"));

    // Our own padding rule gives a cell of at least C tor's minimum size that the service opens.
    HsNtor.ClientState ours =
        HsNtor.client(authKey, b.publicKey(), subcred, plaintext, new SecureRandom());
    assertThat(ours.introduce1().toBytes().length)
        .isGreaterThanOrEqualTo(IntroducePlaintext.MIN_INTRODUCE1_LENGTH);
    assertThat(
            HsNtor.service(ours.introduce1(), b, new byte[][] {subcred}, new SecureRandom())
                .plaintext()
                .onionKey())
        .isEqualTo(plaintext.onionKey());

    // And the client completes to the same keys.
    assertThat(client.complete(service.handshakeInfo())).isEqualTo(hex(v, "key_expansion_128"));

    byte[] wrongSubcred = new byte[32];
    assertThatThrownBy(
            () -> HsNtor.service(received, b, new byte[][] {wrongSubcred}, new SecureRandom()))
        .isInstanceOf(CryptoException.class)
        .hasMessage("INTRODUCE2 MAC does not verify with any subcredential");
  }

  @Test
  void lowOrderKeysAreRefused() {
    assertThatThrownBy(() -> X25519Keys.dh(new byte[32], new byte[32]))
        .isInstanceOf(CryptoException.class)
        .hasMessage("x25519 result is the point at infinity");
  }
}
