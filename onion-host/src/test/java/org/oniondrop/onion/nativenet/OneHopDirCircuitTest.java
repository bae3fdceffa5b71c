package org.oniondrop.onion.nativenet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.cell.Cell;
import org.oniondrop.onion.cell.RelayCell;
import org.oniondrop.onion.cell.RelayCommand;
import org.oniondrop.onion.cell.Sendme;
import org.oniondrop.onion.dir.DirException;
import org.oniondrop.onion.handshake.CreateFast;
import org.oniondrop.onion.relaycrypto.RelayLayer;

/**
 * The one-hop directory circuit against a relay simulated here from the spec: the relay derives its
 * keys from X | Y with KDF-TOR itself, answers over tor1 crypto, and checks the SENDMEs.
 */
class OneHopDirCircuitTest {

  static final long CIRC = 0x80000001L;
  final SecureRandom random = new SecureRandom();

  /** The relay's side of one circuit. */
  final class Relay {
    final byte[] y = new byte[20];
    RelayLayer layer;
    byte[] kh;

    Cell createdFast(Cell createFast) {
      random.nextBytes(y);
      byte[] k0 = new byte[40];
      System.arraycopy(createFast.payload(), 0, k0, 0, 20);
      System.arraycopy(y, 0, k0, 20, 20);
      byte[] k = CreateFast.kdfTor(k0, 92);
      kh = Arrays.copyOf(k, 20);
      byte[] tor1 = new byte[92]; // Df | Db | Kf | Kb | KH
      System.arraycopy(k, 20, tor1, 0, 72);
      System.arraycopy(k, 0, tor1, 72, 20);
      layer = RelayLayer.tor1(tor1, RelayLayer.Side.RESPONDER);
      byte[] reply = new byte[40];
      System.arraycopy(y, 0, reply, 0, 20);
      System.arraycopy(kh, 0, reply, 20, 20);
      return Cell.fixed(CIRC, Cell.CREATED_FAST, reply);
    }

    RelayCell read(Cell c) throws Exception {
      assertThat(c.command()).isEqualTo(Cell.RELAY);
      byte[] body = c.payload().clone();
      layer.decrypt(body);
      assertThat(layer.recognize(body)).as("relay recognizes the client's cell").isNotNull();
      return RelayCell.decode(body);
    }

    /** A cell from the relay and the running digest after it. */
    record Sent(Cell cell, byte[] digest) {}

    Sent send(RelayCell rc) {
      byte[] body = rc.encode(random);
      byte[] digest = layer.stamp(body);
      layer.encrypt(body);
      return new Sent(new Cell(CIRC, Cell.RELAY, body), digest);
    }
  }

  @Test
  void fetchesABodyAndSendsAuthenticatedCircuitSendmesAndStreamSendmes() throws Exception {
    OneHopDirCircuit c = new OneHopDirCircuit(CIRC, "/tor/micro/d/abc", 1_000_000, random);
    Relay relay = new Relay();
    Cell create = c.start();
    assertThat(create.command()).isEqualTo(Cell.CREATE_FAST);
    assertThat(create.circId()).isEqualTo(CIRC);
    List<Cell> out = c.onCell(relay.createdFast(create));
    assertThat(out).hasSize(2);
    RelayCell begin = relay.read(out.get(0));
    assertThat(begin.command()).isEqualTo(RelayCommand.BEGIN_DIR);
    assertThat(begin.streamId()).isEqualTo(1);
    RelayCell req = relay.read(out.get(1));
    assertThat(req.command()).isEqualTo(RelayCommand.DATA);
    assertThat(new String(req.data(), StandardCharsets.US_ASCII))
        .isEqualTo("GET /tor/micro/d/abc HTTP/1.0\r\n\r\n");

    assertThat(c.onCell(relay.send(new RelayCell(RelayCommand.CONNECTED, 1, new byte[0])).cell()))
        .isEmpty();
    byte[] head =
        "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    StringBuilder expected = new StringBuilder();
    int circuitSendmes = 0;
    int streamSendmes = 0;
    for (int i = 1; i <= 250; i++) {
      byte[] data;
      if (i == 1) {
        data = head;
      } else {
        data = new byte[RelayCell.MAX_DATA];
        Arrays.fill(data, (byte) ('a' + i % 26));
        expected.append(new String(data, StandardCharsets.ISO_8859_1));
      }
      Relay.Sent sent = relay.send(new RelayCell(RelayCommand.DATA, 1, data));
      for (Cell reply : c.onCell(sent.cell())) {
        RelayCell rc = relay.read(reply);
        assertThat(rc.command()).isEqualTo(RelayCommand.SENDME);
        if (rc.streamId() == 0) {
          circuitSendmes++;
          assertThat(i % 100).as("circuit SENDME after DATA cell " + i).isZero();
          Sendme s = Sendme.decode(ByteReader.of(rc.data()));
          assertThat(s.version()).isEqualTo(1);
          assertThat(s.digest()).isEqualTo(Arrays.copyOf(sent.digest(), 20));
        } else {
          streamSendmes++;
          assertThat(rc.streamId()).isEqualTo(1);
          assertThat(i % 50).as("stream SENDME after DATA cell " + i).isZero();
          assertThat(rc.data()).isEmpty();
        }
      }
    }
    assertThat(circuitSendmes).isEqualTo(2);
    assertThat(streamSendmes).isEqualTo(5);
    assertThat(c.done()).isFalse();
    c.onCell(relay.send(new RelayCell(RelayCommand.END, 1, new byte[] {6})).cell());
    assertThat(c.done()).isTrue();
    assertThat(c.body()).isEqualTo(expected.toString());
    assertThat(c.destroy().command()).isEqualTo(Cell.DESTROY);
  }

  @Test
  void aCreatedFastWithAWrongKhIsRefused() {
    OneHopDirCircuit c = new OneHopDirCircuit(CIRC, "/x", 1000, random);
    Relay relay = new Relay();
    Cell good = relay.createdFast(c.start());
    byte[] payload = good.payload().clone();
    payload[25] ^= 0x01; // inside KH
    assertThatThrownBy(() -> c.onCell(new Cell(CIRC, Cell.CREATED_FAST, payload)))
        .isInstanceOf(DirException.class)
        .hasMessage("one-hop handshake refused: CREATED_FAST KH does not match the derived key");
  }

  @Test
  void refusalsAreErrors() throws Exception {
    // a non-200 answer
    OneHopDirCircuit c = new OneHopDirCircuit(CIRC, "/x", 1000, random);
    Relay relay = new Relay();
    c.onCell(relay.createdFast(c.start()));
    c.onCell(
        relay
            .send(
                new RelayCell(
                    RelayCommand.DATA,
                    1,
                    "HTTP/1.0 503 Busy\r\n\r\n".getBytes(StandardCharsets.US_ASCII)))
            .cell());
    c.onCell(relay.send(new RelayCell(RelayCommand.END, 1, new byte[] {6})).cell());
    assertThatThrownBy(c::body).hasMessage("HTTP 503");

    // an answer over the cap
    OneHopDirCircuit small = new OneHopDirCircuit(CIRC, "/x", 100, random);
    Relay r2 = new Relay();
    small.onCell(r2.createdFast(small.start()));
    List<Exception> errors = new ArrayList<>();
    for (int i = 0; i < 40 && errors.isEmpty(); i++) {
      try {
        small.onCell(
            r2.send(new RelayCell(RelayCommand.DATA, 1, new byte[RelayCell.MAX_DATA])).cell());
      } catch (DirException e) {
        errors.add(e);
      }
    }
    assertThat(errors)
        .singleElement()
        .extracting(Exception::getMessage)
        .isEqualTo("answer larger than 100 bytes");

    // a cell the relay did not encrypt for us, a DESTROY, a RELAY before the handshake
    OneHopDirCircuit c3 = new OneHopDirCircuit(CIRC, "/x", 1000, random);
    Relay r3 = new Relay();
    c3.onCell(r3.createdFast(c3.start()));
    byte[] junk = new byte[Cell.PAYLOAD_LENGTH];
    random.nextBytes(junk);
    assertThatThrownBy(() -> c3.onCell(new Cell(CIRC, Cell.RELAY, junk)))
        .hasMessage("unrecognized relay cell on a one-hop circuit");
    assertThatThrownBy(() -> c3.onCell(Cell.fixed(CIRC, Cell.DESTROY, new byte[] {9})))
        .hasMessage("relay destroyed the circuit (reason 9)");
    OneHopDirCircuit c4 = new OneHopDirCircuit(CIRC, "/x", 1000, random);
    c4.start();
    assertThatThrownBy(() -> c4.onCell(new Cell(CIRC, Cell.RELAY, junk)))
        .hasMessage("RELAY cell before CREATED_FAST");
  }

  /**
   * What a hostile fallback can send once the hop is up (cells it encrypts for us, so they are
   * recognized): any relay command, stream and length, or raw bodies. Only {@link DirException} may
   * come out, and the body parse too.
   */
  @Test
  void aHostileRelaysCellsOnlyEverGiveDirExceptions() throws Exception {
    java.util.Random r = new java.util.Random(17);
    int refused = 0;
    for (int round = 0; round < 2000; round++) {
      OneHopDirCircuit c = new OneHopDirCircuit(CIRC, "/x", 4096, random);
      Relay relay = new Relay();
      c.onCell(relay.createdFast(c.start()));
      try {
        for (int i = 0; i < 1 + r.nextInt(20) && !c.done(); i++) {
          Cell cell;
          if (r.nextInt(4) == 0) {
            byte[] body = new byte[Cell.PAYLOAD_LENGTH];
            r.nextBytes(body);
            body[1] = 0;
            body[2] = 0;
            relay.layer.stamp(body);
            relay.layer.encrypt(body);
            cell = new Cell(CIRC, Cell.RELAY, body);
          } else {
            byte[] data = new byte[r.nextInt(RelayCell.MAX_DATA + 1)];
            r.nextBytes(data);
            if (r.nextBoolean() && data.length >= 19) {
              System.arraycopy(
                  "HTTP/1.0 200 OK\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0, data, 0, 19);
            }
            int command = r.nextBoolean() ? RelayCommand.DATA : r.nextInt(256);
            cell = relay.send(new RelayCell(command, r.nextInt(3), data)).cell();
          }
          c.onCell(cell);
        }
        if (c.done()) {
          c.body();
        }
      } catch (DirException e) {
        refused++;
      }
    }
    assertThat(refused).isPositive();
  }
}
