package org.oniondrop.onion.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.List;
import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.DecodeException;
import org.oniondrop.onion.cell.Begin;
import org.oniondrop.onion.cell.Cell;
import org.oniondrop.onion.cell.Connected;
import org.oniondrop.onion.cell.Created2;
import org.oniondrop.onion.cell.End;
import org.oniondrop.onion.cell.EstablishIntro;
import org.oniondrop.onion.cell.EstablishRendezvous;
import org.oniondrop.onion.cell.Extend2;
import org.oniondrop.onion.cell.IntroEstablished;
import org.oniondrop.onion.cell.Introduce1;
import org.oniondrop.onion.cell.IntroduceAck;
import org.oniondrop.onion.cell.IntroducePlaintext;
import org.oniondrop.onion.cell.RelayCell;
import org.oniondrop.onion.cell.Rendezvous1;
import org.oniondrop.onion.cell.Rendezvous2;
import org.oniondrop.onion.cell.Sendme;
import org.oniondrop.onion.cert.CertException;
import org.oniondrop.onion.cert.Ed25519Cert;

/**
 * Fuzz targets for cells and relay messages (tor-spec §3, §6-§7; rend-spec-v3 §3-§4): each decoder
 * may only throw its own exception. The suite replays the corpus in {@code CellFuzzTestInputs/};
 * {@code tools/fuzz-all.sh} fuzzes.
 */
class CellFuzzTest {

  /** One relay-message decoder. */
  private interface Decoder {
    void decode(byte[] body) throws DecodeException, CertException;
  }

  private static final List<Decoder> RELAY_MESSAGES =
      List.of(
          b -> Begin.decode(ByteReader.of(b)),
          b -> Connected.decode(ByteReader.of(b)),
          b -> End.decode(ByteReader.of(b)),
          b -> Sendme.decode(ByteReader.of(b)),
          b -> Extend2.decode(ByteReader.of(b)),
          b -> Created2.decode(ByteReader.of(b)),
          b -> EstablishIntro.decode(ByteReader.of(b)),
          b -> IntroEstablished.decode(ByteReader.of(b)),
          b -> Introduce1.decode(ByteReader.of(b)),
          b -> IntroducePlaintext.decode(ByteReader.of(b)),
          b -> IntroduceAck.decode(ByteReader.of(b)),
          b -> EstablishRendezvous.decode(ByteReader.of(b)),
          b -> Rendezvous1.decode(ByteReader.of(b)),
          b -> Rendezvous2.decode(ByteReader.of(b)),
          Ed25519Cert::decode);

  /** A link cell, and the relay cell inside a RELAY payload. */
  @FuzzTest
  void cell(byte[] input) {
    try {
      Cell cell = Cell.decode(ByteReader.of(input));
      if (cell.payload().length == Cell.PAYLOAD_LENGTH) {
        RelayCell.decode(cell.payload());
      }
    } catch (DecodeException expected) {
      // refused: the connection or circuit would be closed
    }
  }

  /** First byte picks the relay message; the rest is its body. */
  @FuzzTest
  void relayMessage(byte[] input) {
    if (input.length == 0) {
      return;
    }
    Decoder decoder = RELAY_MESSAGES.get(Math.floorMod(input[0], RELAY_MESSAGES.size()));
    try {
      decoder.decode(Arrays.copyOfRange(input, 1, input.length));
    } catch (DecodeException | CertException expected) {
      // refused
    }
  }
}
