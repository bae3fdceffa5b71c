package org.oniondrop.onion.cell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.oniondrop.onion.Vectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.oniondrop.onion.Vectors;
import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.bytes.DecodeException;

/** cells-hs.json and relay-cells.json: decode, compare, re-encode to the same bytes. */
class CellsVectorsTest {

  interface Codec {
    byte[] roundTrip(byte[] body) throws DecodeException;
  }

  private static Codec codecFor(int command) {
    return body -> {
      ByteReader r = ByteReader.of(body);
      ByteWriter w = new ByteWriter();
      switch (command) {
        case RelayCommand.ESTABLISH_INTRO -> EstablishIntro.decode(r).encode(w);
        case RelayCommand.ESTABLISH_RENDEZVOUS -> EstablishRendezvous.decode(r).encode(w);
        case RelayCommand.INTRODUCE1, RelayCommand.INTRODUCE2 -> Introduce1.decode(r).encode(w);
        case RelayCommand.RENDEZVOUS1 -> Rendezvous1.decode(r).encode(w);
        case RelayCommand.RENDEZVOUS2 -> Rendezvous2.decode(r).encode(w);
        case RelayCommand.INTRO_ESTABLISHED -> IntroEstablished.decode(r).encode(w);
        case RelayCommand.INTRODUCE_ACK -> IntroduceAck.decode(r).encode(w);
        case RelayCommand.BEGIN -> Begin.decode(r).encode(w);
        case RelayCommand.CONNECTED -> Connected.decode(r).encode(w);
        case RelayCommand.END -> End.decode(r).encode(w);
        case RelayCommand.DATA -> Data.decode(r).encode(w);
        case RelayCommand.SENDME -> Sendme.decode(r).encode(w);
        case RelayCommand.DROP -> r.rest();
        default -> throw new AssertionError("no codec for " + command);
      }
      return w.toByteArray();
    };
  }

  @Test
  void relayCellBodyLayoutIsTorSpecs() throws Exception {
    // tor-spec §6.1: command(1) | recognized(2) = 0 | stream_id(2) | digest(4) = 0 | length(2) |
    // data | 4 zero bytes | random padding; a full cell has no padding at all.
    byte[] data = new byte[RelayCell.MAX_DATA];
    new java.util.Random(9).nextBytes(data);
    byte[] full =
        new RelayCell(RelayCommand.DATA, 0x1234, data).encode(new java.security.SecureRandom());
    assertThat(java.util.Arrays.copyOf(full, 11))
        .containsExactly(RelayCommand.DATA, 0, 0, 0x12, 0x34, 0, 0, 0, 0, 0x01, (byte) 0xf2);
    assertThat(java.util.Arrays.copyOfRange(full, 11, 509)).isEqualTo(data);

    byte[] shortBody = new RelayCell(RelayCommand.END, 7, new byte[] {6}).encode(null);
    assertThat(java.util.Arrays.copyOf(shortBody, 16))
        .containsExactly(RelayCommand.END, 0, 0, 0, 7, 0, 0, 0, 0, 0, 1, 6, 0, 0, 0, 0);
    assertThat(RelayCell.decode(full).data()).isEqualTo(data);
    assertThat(RelayCell.decode(shortBody).streamId()).isEqualTo(7);
  }

  @Test
  void everyCellVectorRoundTrips() throws Exception {
    int checked = 0;
    for (String file : List.of("cells-hs.json", "relay-cells.json")) {
      for (JsonNode v : Vectors.load(file)) {
        if (!v.has("relay_command") || v.has("expected")) {
          continue;
        }
        byte[] body = hex(v, "body");
        assertThat(codecFor(v.get("relay_command").asInt()).roundTrip(body))
            .as(v.get("name").asText())
            .isEqualTo(body);
        checked++;
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(24);
  }

  @Test
  void decodedFieldsMatch() throws Exception {
    JsonNode est = Vectors.named("cells-hs.json", "c_tor_establish_intro_chutney");
    EstablishIntro intro = EstablishIntro.decode(ByteReader.of(hex(est, "body")));
    assertThat(intro.authKey()).isEqualTo(hex(est, "auth_key"));
    assertThat(intro.handshakeAuth()).isEqualTo(hex(est, "handshake_auth"));
    assertThat(intro.signature()).isEqualTo(hex(est, "signature"));
    // The real C tor cell verifies with its circuit's KH, and not with another.
    assertThat(intro.verify(hex(est, "circuit_KH_nonce"))).isTrue();
    assertThat(intro.verify(new byte[20])).isFalse();

    JsonNode dos = Vectors.named("cells-hs.json", "arti_establish_intro_dos_ext");
    EstablishIntro withDos = EstablishIntro.decode(ByteReader.of(hex(dos, "body")));
    assertThat(withDos.extensions()).hasSize(1);
    assertThat(withDos.extensions().get(0).type()).isEqualTo(EstablishIntro.EXT_DOS_PARAMS);

    JsonNode plain = Vectors.named("cells-hs.json", "c_tor_intro_plaintext_chutney");
    IntroducePlaintext p = IntroducePlaintext.decode(ByteReader.of(hex(plain, "body")));
    assertThat(Vectors.hex(p.rendezvousCookie()))
        .isEqualTo("1effeace9be629b357ada359071a7912db828a5b");
    assertThat(p.linkSpecifiers()).hasSize(3);
    assertThat(p.linkSpecifiers().get(0).type()).isEqualTo(LinkSpecifier.IPV4);

    Begin begin =
        Begin.decode(
            ByteReader.of(
                hex(Vectors.named("relay-cells.json", "begin_onion_service_c_tor_style"), "body")));
    assertThat(begin.host()).isEmpty();
    assertThat(begin.port()).isEqualTo(80);
    Begin flags =
        Begin.decode(
            ByteReader.of(hex(Vectors.named("relay-cells.json", "begin_with_flags"), "body")));
    assertThat(flags.host()).isEqualTo("www.xkcd.com");
    assertThat(flags.flags()).isEqualTo(3);
    Begin v6 =
        Begin.decode(ByteReader.of(hex(Vectors.named("relay-cells.json", "begin_ipv6"), "body")));
    assertThat(v6.host()).isEqualTo("2001:db8::1");
    Sendme sendme =
        Sendme.decode(
            ByteReader.of(
                hex(Vectors.named("relay-cells.json", "sendme_v1_authenticated"), "body")));
    assertThat(sendme.version()).isEqualTo(1);
    assertThat(Vectors.hex(sendme.digest())).isEqualTo("f01234989823478bcdefabcdef01234567890123");
  }

  @Test
  void negativeVectorsSayWhy() {
    JsonNode legacy = Vectors.named("cells-hs.json", "arti_introduce1_legacy_key_id_reject");
    assertThatThrownBy(() -> Introduce1.decode(ByteReader.of(hex(legacy, "body"))))
        .isInstanceOf(DecodeException.class)
        .hasMessage("INTRODUCE1 legacy key id is not zero");
    assertThatThrownBy(() -> EstablishRendezvous.decode(ByteReader.of(new byte[19])))
        .hasMessage("truncated: rendezvous cookie needs 20 bytes, 19 left");
    assertThatThrownBy(() -> Begin.decode(ByteReader.of("nonul:80".getBytes())))
        .hasMessage("BEGIN address is not NUL-terminated within 300 bytes");
    assertThatThrownBy(() -> Begin.decode(ByteReader.of(":0\0".getBytes())))
        .hasMessage("BEGIN port 0 outside 1..65535");
    assertThatThrownBy(() -> Sendme.decode(ByteReader.of(hex("0100140102"))))
        .hasMessage("truncated: sendme data needs 20 bytes, 2 left");
  }

  @Test
  void channelAndCircuitCellsRoundTrip() throws Exception {
    Create2 create = new Create2(Create2.HTYPE_NTOR, new byte[84]);
    Extend2 extend =
        new Extend2(
            List.of(
                LinkSpecifier.ipv4(new byte[] {127, 0, 0, 1}, 9001),
                new LinkSpecifier(LinkSpecifier.LEGACY_ID, new byte[20])),
            create);
    ByteWriter w = new ByteWriter();
    extend.encode(w);
    byte[] bytes = w.toByteArray();
    assertThat(bytes.length).isEqualTo(1 + 8 + 22 + 4 + 84);
    Extend2 back = Extend2.decode(ByteReader.of(bytes));
    assertThat(back.linkSpecifiers()).isEqualTo(extend.linkSpecifiers());
    ByteWriter again = new ByteWriter();
    back.encode(again);
    assertThat(again.toByteArray()).isEqualTo(bytes);

    Cell cell = Cell.fixed(0x80000001L, Cell.CREATE2, bytes);
    ByteWriter cw = new ByteWriter();
    cell.encode(cw);
    assertThat(cw.size()).isEqualTo(Cell.LENGTH);
    Cell decoded = Cell.decode(ByteReader.of(cw.toByteArray()));
    assertThat(decoded.circId()).isEqualTo(0x80000001L);
    assertThat(decoded.payload()).isEqualTo(cell.payload());

    RelayCell relay = new RelayCell(RelayCommand.DATA, 7, "hello".getBytes());
    byte[] body = relay.encode(new java.security.SecureRandom());
    assertThat(body).hasSize(509);
    assertThat(java.util.Arrays.copyOfRange(body, 16, 20)).containsOnly(0);
    RelayCell parsed = RelayCell.decode(body);
    assertThat(parsed.streamId()).isEqualTo(7);
    assertThat(parsed.data()).isEqualTo("hello".getBytes());
    Created2 created = Created2.decode(ByteReader.of(hex("0004deadbeef")));
    assertThat(created.handshakeData()).isEqualTo(hex("deadbeef"));
  }
}
