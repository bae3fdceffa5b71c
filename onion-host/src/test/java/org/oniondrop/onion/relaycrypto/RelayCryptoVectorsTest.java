package org.oniondrop.onion.relaycrypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.oniondrop.onion.Vectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.crypto.digests.SHAKEDigest;
import org.junit.jupiter.api.Test;
import org.oniondrop.onion.Vectors;
import org.oniondrop.onion.cell.RelayCell;
import org.oniondrop.onion.cell.RelayCommand;

/** relay-crypto.json: C tor's tor1 3-hop cells, and the (derived) onion-service virtual hop. */
class RelayCryptoVectorsTest {

  @Test
  void tor1ThreeHopOutboundMatchesCTor() {
    JsonNode v = Vectors.named("relay-crypto.json", "tor1_three_hop_outbound");
    List<RelayLayer> clientHops = new ArrayList<>();
    List<RelayLayer> relayHops = new ArrayList<>();
    for (JsonNode material : v.get("hop_key_material_ascii")) {
      byte[] keys = material.asText().getBytes(StandardCharsets.US_ASCII);
      clientHops.add(RelayLayer.tor1(keys, RelayLayer.Side.ORIGIN));
      relayHops.add(RelayLayer.tor1(keys, RelayLayer.Side.RESPONDER));
    }
    SHAKEDigest stream = new SHAKEDigest(256);
    byte[] seed = v.get("payload_stream_seed_ascii").asText().getBytes(StandardCharsets.US_ASCII);
    stream.update(seed, 0, seed.length);
    JsonNode expected = v.get("expected_ciphertexts");
    int expectedIndex = 0;
    for (int cellno = 0; cellno <= 50 && expectedIndex < expected.size(); cellno++) {
      byte[] body = new byte[509];
      body[0] = RelayCommand.DATA;
      body[4] = 1;
      body[9] = 0x01;
      body[10] = (byte) 0xf2;
      stream.doOutput(body, 11, 498);
      clientHops.get(2).stamp(body);
      if (cellno == 0) {
        assertThat(body).isEqualTo(hex(v, "cell0_plaintext_with_digest"));
      }
      byte[] plain = body.clone();
      for (int hop = 2; hop >= 0; hop--) {
        clientHops.get(hop).encrypt(body);
      }
      JsonNode e = expected.get(expectedIndex);
      if (e.get("cellno").asInt() == cellno) {
        assertThat(Vectors.hex(body)).as("cell " + cellno).isEqualTo(e.get("ciphertext").asText());
        expectedIndex++;
      }
      // The relays peel one layer each; only the third recognizes the cell.
      for (int hop = 0; hop < 3; hop++) {
        relayHops.get(hop).decrypt(body);
        assertThat(relayHops.get(hop).recognize(body) != null).isEqualTo(hop == 2);
      }
      assertThat(body).isEqualTo(plain);
    }
    assertThat(expectedIndex).isEqualTo(expected.size());
  }

  @Test
  void hsVirtualHopMatchesTheDerivedExampleBothWays() throws Exception {
    JsonNode v = Vectors.named("relay-crypto.json", "hs_virtual_hop_example");
    byte[] keys =
        org.oniondrop.onion.crypto.HsCrypto.concat(
            hex(v, "Df"), hex(v, "Db"), hex(v, "Kf"), hex(v, "Kb"));
    RelayLayer client = RelayLayer.hsVirtualHop(keys, RelayLayer.Side.ORIGIN);
    RelayLayer service = RelayLayer.hsVirtualHop(keys, RelayLayer.Side.RESPONDER);

    byte[] begin = hex(v, "client_to_service_cell1_plaintext");
    byte[] toStamp = begin.clone();
    java.util.Arrays.fill(toStamp, 5, 9, (byte) 0);
    client.stamp(toStamp);
    assertThat(toStamp).isEqualTo(begin);
    client.encrypt(toStamp);
    assertThat(toStamp).isEqualTo(hex(v, "client_to_service_cell1_virtual_hop_ciphertext"));
    service.decrypt(toStamp);
    assertThat(service.recognize(toStamp)).isNotNull();
    assertThat(RelayCell.decode(toStamp).command()).isEqualTo(RelayCommand.BEGIN);

    byte[] connected = hex(v, "service_to_client_cell1_plaintext");
    byte[] reply = connected.clone();
    java.util.Arrays.fill(reply, 5, 9, (byte) 0);
    service.stamp(reply);
    assertThat(reply).isEqualTo(connected);
    service.encrypt(reply);
    assertThat(reply).isEqualTo(hex(v, "service_to_client_cell1_virtual_hop_ciphertext"));
    client.decrypt(reply);
    assertThat(client.recognize(reply)).isNotNull();
  }

  @Test
  void aCellForAnotherHopLeavesTheDigestUntouched() {
    byte[] keys = new byte[92];
    new SecureRandom().nextBytes(keys);
    RelayLayer relay = RelayLayer.tor1(keys, RelayLayer.Side.RESPONDER);
    RelayLayer origin = RelayLayer.tor1(keys, RelayLayer.Side.ORIGIN);
    byte[] garbage = new byte[509];
    new SecureRandom().nextBytes(garbage);
    garbage[1] = 0;
    garbage[2] = 0;
    assertThat(relay.recognize(garbage)).isNull();
    byte[] real = new RelayCell(RelayCommand.DATA, 1, new byte[10]).encode(new SecureRandom());
    origin.stamp(real);
    assertThat(relay.recognize(real)).isNotNull();
  }
}
