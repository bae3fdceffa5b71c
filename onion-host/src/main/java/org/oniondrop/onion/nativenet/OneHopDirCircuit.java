package org.oniondrop.onion.nativenet;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.bytes.DecodeException;
import org.oniondrop.onion.cell.Cell;
import org.oniondrop.onion.cell.RelayCell;
import org.oniondrop.onion.cell.RelayCommand;
import org.oniondrop.onion.cell.Sendme;
import org.oniondrop.onion.crypto.CryptoException;
import org.oniondrop.onion.dir.DirException;
import org.oniondrop.onion.handshake.CreateFast;
import org.oniondrop.onion.relaycrypto.RelayLayer;

/**
 * One directory request on a one-hop circuit, sans IO: cells in, cells out. CREATE_FAST /
 * CREATED_FAST (tor-spec §5.1.3) makes the hop, BEGIN_DIR (tor-spec §6.2) opens a stream to the
 * relay's directory cache, the HTTP/1.0 request goes out as DATA, the answer comes back as DATA
 * until END. Flow control as a receiver (tor-spec §7.3-§7.4): an authenticated (v1) circuit SENDME
 * every {@value #CIRCUIT_SENDME_INCREMENT} DATA cells, carrying the running digest of the cell that
 * triggered it, a stream SENDME every {@value #STREAM_SENDME_INCREMENT}; a relay sending past our
 * delivery windows is a protocol violation.
 */
final class OneHopDirCircuit {

  static final int CIRCUIT_WINDOW = 1000;
  static final int CIRCUIT_SENDME_INCREMENT = 100;
  static final int STREAM_WINDOW = 500;
  static final int STREAM_SENDME_INCREMENT = 50;

  /** Response headers longer than this are refused. */
  static final int MAX_HEADER_BYTES = 16 * 1024;

  static final int STREAM_ID = 1;

  private final long circId;
  private final byte[] request;
  private final int maxBodyBytes;
  private final SecureRandom random;
  private final CreateFast.ClientState handshake;
  private final ByteWriter received = new ByteWriter(4096);
  private RelayLayer layer;
  private int circuitDeliver = CIRCUIT_WINDOW;
  private int streamDeliver = STREAM_WINDOW;
  private int dataCells;
  private boolean done;

  OneHopDirCircuit(long circId, String path, int maxBodyBytes, SecureRandom random) {
    this.circId = circId;
    this.request = ("GET " + path + " HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    this.maxBodyBytes = maxBodyBytes;
    this.random = random;
    this.handshake = CreateFast.client(random);
  }

  /** The CREATE_FAST cell that starts the circuit. */
  Cell start() {
    return Cell.fixed(circId, Cell.CREATE_FAST, handshake.onionskin());
  }

  boolean done() {
    return done;
  }

  /** The DESTROY that ends the circuit (reason 0, none). */
  Cell destroy() {
    return Cell.fixed(circId, Cell.DESTROY, new byte[] {0});
  }

  /**
   * Handles one cell from the relay on this circuit; returns the cells to send.
   *
   * @throws DirException on a refused handshake, a protocol violation, a DESTROY, an END before any
   *     answer or an answer larger than allowed
   */
  List<Cell> onCell(Cell cell) throws DirException {
    if (cell.circId() != circId) {
      return List.of();
    }
    List<Cell> out = new ArrayList<>();
    switch (cell.command()) {
      case Cell.CREATED_FAST -> {
        if (layer != null) {
          throw new DirException("second CREATED_FAST");
        }
        try {
          layer = RelayLayer.tor1(handshake.complete(cell.payload()), RelayLayer.Side.ORIGIN);
        } catch (CryptoException e) {
          throw new DirException("one-hop handshake refused: " + e.getMessage());
        }
        out.add(relay(new RelayCell(RelayCommand.BEGIN_DIR, STREAM_ID, new byte[0])));
        for (int off = 0; off < request.length; off += RelayCell.MAX_DATA) {
          int n = Math.min(RelayCell.MAX_DATA, request.length - off);
          out.add(
              relay(
                  new RelayCell(
                      RelayCommand.DATA, STREAM_ID, Arrays.copyOfRange(request, off, off + n))));
        }
      }
      case Cell.RELAY -> onRelay(cell.payload(), out);
      case Cell.DESTROY ->
          throw new DirException(
              "relay destroyed the circuit (reason " + (cell.payload()[0] & 0xff) + ")");
      default -> throw new DirException("unexpected cell command " + cell.command());
    }
    return out;
  }

  private void onRelay(byte[] payload, List<Cell> out) throws DirException {
    if (layer == null) {
      throw new DirException("RELAY cell before CREATED_FAST");
    }
    byte[] body = payload.clone();
    layer.decrypt(body);
    byte[] digest = layer.recognize(body);
    if (digest == null) {
      throw new DirException("unrecognized relay cell on a one-hop circuit");
    }
    RelayCell cell;
    try {
      cell = RelayCell.decode(body);
    } catch (DecodeException e) {
      throw new DirException("malformed relay cell: " + e.getMessage());
    }
    switch (cell.command()) {
      case RelayCommand.DATA -> {
        if (cell.streamId() != STREAM_ID || done) {
          throw new DirException("DATA on an unknown stream");
        }
        if (--circuitDeliver < 0 || --streamDeliver < 0) {
          throw new DirException("relay sent past the delivery window");
        }
        if (received.size() + cell.data().length > maxBodyBytes + MAX_HEADER_BYTES) {
          throw new DirException("answer larger than " + maxBodyBytes + " bytes");
        }
        received.bytes(cell.data());
        dataCells++;
        if (dataCells % CIRCUIT_SENDME_INCREMENT == 0) {
          ByteWriter w = new ByteWriter(24);
          Sendme.v1(Arrays.copyOf(digest, Sendme.DIGEST_LENGTH)).encode(w);
          out.add(relay(new RelayCell(RelayCommand.SENDME, 0, w.toByteArray())));
          circuitDeliver += CIRCUIT_SENDME_INCREMENT;
        }
        if (dataCells % STREAM_SENDME_INCREMENT == 0) {
          out.add(relay(new RelayCell(RelayCommand.SENDME, STREAM_ID, new byte[0])));
          streamDeliver += STREAM_SENDME_INCREMENT;
        }
      }
      case RelayCommand.END -> {
        if (cell.streamId() == STREAM_ID) {
          done = true;
        }
      }
      default -> {
        // CONNECTED, SENDMEs for our few request cells, DROP: nothing to do
      }
    }
  }

  private Cell relay(RelayCell cell) {
    byte[] body = cell.encode(random);
    layer.stamp(body);
    layer.encrypt(body);
    return new Cell(circId, Cell.RELAY, body);
  }

  /** The body of the 200 answer, once {@link #done()}. */
  String body() throws DirException {
    String raw = new String(received.toByteArray(), StandardCharsets.ISO_8859_1);
    int headEnd = raw.indexOf("\r\n\r\n");
    if (!raw.startsWith("HTTP/1.") || headEnd < 0 || headEnd > MAX_HEADER_BYTES) {
      throw new DirException("not an HTTP answer");
    }
    String[] status = raw.substring(0, raw.indexOf("\r\n")).split(" ", 3);
    if (status.length < 2 || !status[1].equals("200")) {
      throw new DirException("HTTP " + (status.length > 1 ? status[1] : "?"));
    }
    String body = raw.substring(headEnd + 4);
    if (body.length() > maxBodyBytes) {
      throw new DirException("answer larger than " + maxBodyBytes + " bytes");
    }
    return body;
  }
}
