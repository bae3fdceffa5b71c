package org.oniondrop.onion.link;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.bytes.DecodeException;
import org.oniondrop.onion.cell.Cell;
import org.oniondrop.onion.net.Channel;
import org.oniondrop.onion.net.Node;

/**
 * A {@link Channel} over TLS to a relay's ORPort (tor-spec §2, §4). {@link #open} runs the link
 * handshake as an initiator that does not authenticate: TLS (any certificate: tor's are
 * self-signed, and the CERTS cell is what authenticates the relay), VERSIONS (4, 5), then the
 * relay's CERTS (checked by {@link CertsVerifier} against the consensus identity; the connection
 * closes with the reason on mismatch), AUTH_CHALLENGE (ignored), NETINFO, and our NETINFO.
 *
 * <p>Afterwards one reader thread decodes cells and runs the owner's handler on the owner's loop,
 * and one writer thread drains a bounded queue, so {@link #send} never blocks.
 */
public final class TlsChannel implements Channel {

  private static final Logger LOG = Logger.getLogger(TlsChannel.class.getName());

  /** Cells waiting for the socket. Circuit windows (1000 cells) keep a channel far below this. */
  public static final int MAX_QUEUED_CELLS = 16_384;

  /** Cells a relay may send before its NETINFO (VERSIONS, CERTS, AUTH_CHALLENGE, paddings). */
  static final int MAX_HANDSHAKE_CELLS = 16;

  static final int AUTH_CHALLENGE = 130;

  private final LinkTarget target;
  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final int linkVersion;
  private final CertsVerifier.Verified identity;
  private final Transcript transcript;
  private final BlockingQueue<Cell> queue = new ArrayBlockingQueue<>(MAX_QUEUED_CELLS);
  private final AtomicBoolean open = new AtomicBoolean(true);
  private volatile Node owner;
  private volatile Consumer<TlsChannel> onClosed = c -> {};

  /** The relay's handshake bytes as received (kept so tests can capture vectors). */
  public record Transcript(
      byte[] tlsCertificate, byte[] versions, byte[] certs, byte[] authChallenge, byte[] netinfo) {}

  private TlsChannel(
      LinkTarget target,
      Socket socket,
      DataInputStream in,
      OutputStream out,
      int linkVersion,
      CertsVerifier.Verified identity,
      Transcript transcript) {
    this.target = target;
    this.socket = socket;
    this.in = in;
    this.out = out;
    this.linkVersion = linkVersion;
    this.identity = identity;
    this.transcript = transcript;
  }

  /**
   * Connects and runs the handshake; the channel delivers nothing until {@link #start}.
   *
   * @throws LinkException if the relay's certificates or versions are not acceptable (the socket is
   *     closed)
   * @throws IOException if the relay cannot be reached or hangs up
   */
  public static TlsChannel open(LinkTarget target, Clock clock, Duration timeout)
      throws IOException, LinkException {
    SSLSocket socket = (SSLSocket) tlsContext().getSocketFactory().createSocket();
    boolean ok = false;
    try {
      socket.connect(
          new InetSocketAddress(target.address(), target.orPort()), (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      socket.setTcpNoDelay(true);
      socket.startHandshake();
      Certificate[] peer = socket.getSession().getPeerCertificates();
      if (peer.length == 0 || !(peer[0] instanceof X509Certificate)) {
        throw new LinkException("relay presented no TLS certificate");
      }
      byte[] tlsCert;
      try {
        tlsCert = peer[0].getEncoded();
      } catch (GeneralSecurityException e) {
        throw new LinkException("relay TLS certificate cannot be encoded");
      }
      DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
      OutputStream out = new BufferedOutputStream(socket.getOutputStream());
      out.write(new Versions(Versions.OURS).encodeCell());
      out.flush();

      // The relay's VERSIONS: 2-byte CircID, command 7, 2-byte length.
      in.readUnsignedShort();
      int command = in.readUnsignedByte();
      if (command != Versions.COMMAND) {
        throw new LinkException("relay's first cell is command " + command + ", not VERSIONS");
      }
      int len = in.readUnsignedShort();
      if (len > 2 * Versions.MAX_VERSIONS) {
        throw new LinkException("relay's VERSIONS cell is too long");
      }
      byte[] versionsPayload = new byte[len];
      in.readFully(versionsPayload);
      int version;
      try {
        version = Versions.decodePayload(versionsPayload).negotiate(Versions.OURS);
      } catch (DecodeException e) {
        throw new LinkException("malformed VERSIONS: " + e.getMessage());
      }

      byte[] certsPayload = null;
      byte[] challenge = null;
      byte[] netinfoPayload = null;
      CertsVerifier.Verified verified = null;
      for (int i = 0; i < MAX_HANDSHAKE_CELLS && netinfoPayload == null; i++) {
        Cell cell = readCell(in);
        switch (cell.command()) {
          case Certs.COMMAND -> {
            if (certsPayload != null) {
              throw new LinkException("relay sent two CERTS cells");
            }
            certsPayload = cell.payload();
            try {
              verified =
                  CertsVerifier.verify(
                      Certs.decode(certsPayload),
                      tlsCert,
                      target.rsaId(),
                      target.ed25519Id(),
                      clock.instant());
            } catch (DecodeException e) {
              throw new LinkException("malformed CERTS: " + e.getMessage());
            }
          }
          case AUTH_CHALLENGE -> challenge = cell.payload(); // only for relays authenticating
          case Netinfo.COMMAND -> {
            if (verified == null) {
              throw new LinkException("relay sent NETINFO before a valid CERTS");
            }
            netinfoPayload = cell.payload();
            try {
              Netinfo.decode(netinfoPayload);
            } catch (DecodeException e) {
              throw new LinkException("malformed NETINFO: " + e.getMessage());
            }
          }
          case Cell.PADDING, Cell.VPADDING -> {
            // allowed anywhere
          }
          default ->
              throw new LinkException("unexpected cell " + cell.command() + " during handshake");
        }
      }
      if (netinfoPayload == null) {
        throw new LinkException("relay did not finish the handshake");
      }
      ByteWriter w = new ByteWriter(Cell.LENGTH);
      Cell.fixed(0, Netinfo.COMMAND, Netinfo.fromClient(target.ipv4()).encode()).encode(w);
      out.write(w.toByteArray());
      out.flush();
      socket.setSoTimeout(0);
      ok = true;
      return new TlsChannel(
          target,
          socket,
          in,
          out,
          version,
          verified,
          new Transcript(tlsCert, versionsPayload, certsPayload, challenge, netinfoPayload));
    } catch (LinkException e) {
      throw new LinkException(target + ": " + e.getMessage(), e);
    } finally {
      if (!ok) {
        closeQuietly(socket);
      }
    }
  }

  /** Starts delivering cells to {@code owner} (on its loop) and draining the send queue. */
  public void start(Node owner, Consumer<TlsChannel> onClosed) {
    this.owner = owner;
    this.onClosed = onClosed;
    Thread reader = new Thread(this::readLoop, "link-in-" + target.nickname());
    reader.setDaemon(true);
    Thread writer = new Thread(this::writeLoop, "link-out-" + target.nickname());
    writer.setDaemon(true);
    reader.start();
    writer.start();
  }

  static Cell readCell(DataInputStream in) throws IOException, LinkException {
    byte[] head = new byte[5];
    in.readFully(head);
    int command = head[4] & 0xff;
    byte[] raw;
    if (Cell.isVariable(command)) {
      int len = in.readUnsignedShort();
      if (len > Cell.MAX_VAR_PAYLOAD) {
        throw new LinkException("variable cell of " + len + " bytes");
      }
      raw = new byte[7 + len];
      System.arraycopy(head, 0, raw, 0, 5);
      raw[5] = (byte) (len >> 8);
      raw[6] = (byte) len;
      in.readFully(raw, 7, len);
    } else {
      raw = new byte[Cell.LENGTH];
      System.arraycopy(head, 0, raw, 0, 5);
      in.readFully(raw, 5, Cell.PAYLOAD_LENGTH);
    }
    try {
      return Cell.decode(ByteReader.of(raw));
    } catch (DecodeException e) {
      throw new LinkException("malformed cell: " + e.getMessage());
    }
  }

  private void readLoop() {
    String reason = "relay closed the connection";
    try {
      while (open.get()) {
        Cell cell = readCell(in);
        if (cell.command() == Cell.PADDING || cell.command() == Cell.VPADDING) {
          continue;
        }
        if (cell.command() == Cell.VERSIONS
            || cell.command() == Certs.COMMAND
            || cell.command() == Netinfo.COMMAND) {
          reason = "relay repeated a handshake cell";
          break;
        }
        Node n = owner;
        n.loop().execute(() -> n.handler().onCell(this, cell));
      }
    } catch (EOFException e) {
      // the relay hung up
    } catch (IOException e) {
      reason = "read failed: " + e.getClass().getSimpleName();
    } catch (LinkException e) {
      reason = e.getMessage();
    }
    closeWith(reason);
  }

  private void writeLoop() {
    ByteWriter w = new ByteWriter(Cell.LENGTH);
    try {
      while (open.get()) {
        Cell cell = queue.take();
        w = new ByteWriter(Cell.LENGTH);
        cell.encode(w);
        out.write(w.toByteArray());
        if (queue.isEmpty()) {
          out.flush();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      closeWith("write failed: " + e.getClass().getSimpleName());
    }
  }

  @Override
  public void send(Cell cell) {
    if (!open.get()) {
      return;
    }
    if (!queue.offer(cell)) {
      closeWith("more than " + MAX_QUEUED_CELLS + " cells queued");
    }
  }

  @Override
  public void close() {
    closeWith("closed by us");
  }

  private void closeWith(String reason) {
    if (!open.compareAndSet(true, false)) {
      return;
    }
    LOG.fine(() -> "channel to " + target + " closed: " + reason);
    closeQuietly(socket);
    queue.clear();
    queue.offer(Cell.fixed(0, Cell.PADDING, new byte[0])); // wakes the writer
    Node n = owner;
    if (n != null) {
      n.loop().execute(() -> n.handler().onClose(this));
    }
    onClosed.accept(this);
  }

  @Override
  public boolean isOpen() {
    return open.get();
  }

  @Override
  public String peer() {
    return target.nickname();
  }

  @Override
  public boolean initiator() {
    return true;
  }

  public int linkVersion() {
    return linkVersion;
  }

  public CertsVerifier.Verified identity() {
    return identity;
  }

  public Transcript transcript() {
    return transcript;
  }

  public LinkTarget target() {
    return target;
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }

  /**
   * TLS that accepts any server certificate: tor's link certificates are self-signed with random
   * names, and the relay is authenticated by the CERTS cell, which binds its identity to the
   * certificate this session presented (type 5). No SNI is sent (we connect to an IP literal).
   */
  private static SSLContext tlsContext() throws IOException {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {new RecordingTrustManager()}, new SecureRandom());
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IOException("no TLS in this JVM", e);
    }
  }

  private static final class RecordingTrustManager implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
      throw new UnsupportedOperationException("we never accept TLS clients");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
      // Deliberately accepted: see tlsContext(). CertsVerifier checks the binding.
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
