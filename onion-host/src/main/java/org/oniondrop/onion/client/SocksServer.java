package org.oniondrop.onion.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.socksx.v5.DefaultSocks5CommandResponse;
import io.netty.handler.codec.socksx.v5.DefaultSocks5InitialResponse;
import io.netty.handler.codec.socksx.v5.DefaultSocks5PasswordAuthResponse;
import io.netty.handler.codec.socksx.v5.Socks5AddressType;
import io.netty.handler.codec.socksx.v5.Socks5AuthMethod;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequest;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5CommandStatus;
import io.netty.handler.codec.socksx.v5.Socks5CommandType;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequest;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5Message;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthRequest;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthStatus;
import io.netty.handler.codec.socksx.v5.Socks5ServerEncoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.logging.Logger;
import org.oniondrop.onion.circuit.OnionStream;
import org.oniondrop.onion.circuit.StreamBridge;

/**
 * A SOCKS5 port on 127.0.0.1 (RFC 1928): no authentication, or a username and password (RFC 1929)
 * that are not checked but isolate streams as tor's IsolateSOCKSAuth does (different credentials,
 * different rendezvous circuits; Tor Browser gives each first-party site its own), CONNECT to a
 * DOMAINNAME. Messages are parsed and written by Netty's SOCKS5 codec. Onion hosts go through
 * {@link OnionClient}; other hosts get "host unreachable" (the embedded network has no exits).
 * Garbage, an unsupported version or a handshake that does not finish in {@value
 * #HANDSHAKE_TIMEOUT_MILLIS} ms closes that connection only.
 */
public final class SocksServer implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(SocksServer.class.getName());

  /** A SOCKS5 handshake is a few dozen bytes; more than this before it completes is garbage. */
  static final int MAX_HANDSHAKE_BYTES = 1024;

  /** Time a client has to finish the handshake. */
  static final int HANDSHAKE_TIMEOUT_MILLIS = 30_000;

  /**
   * Connections being set up or bridged at once: a slot is held until the bridged stream ends, so
   * this bounds sockets and buffers on the SOCKS side. Beyond it, new connections are closed.
   */
  public static final int MAX_CONNECTIONS = 1024;

  /**
   * Threads running handshakes: each blocks while its client connects through the onion network.
   * More connections wait in the queue (bounded by the connection slots), never a thread each.
   */
  static final int HANDSHAKE_THREADS = 64;

  private final OnionClient client;
  private final ServerSocketChannel server;
  private final ExecutorService threads;
  private final Semaphore slots;
  private final int maxConnections;
  private final Thread acceptor;
  private volatile boolean closed;

  private SocksServer(OnionClient client, ServerSocketChannel server, int maxConnections) {
    this.client = client;
    this.server = server;
    this.slots = new Semaphore(maxConnections);
    this.maxConnections = maxConnections;
    this.threads =
        Executors.newFixedThreadPool(
            HANDSHAKE_THREADS, org.oniondrop.onion.net.DaemonThreads.named("onion-socks"));
    this.acceptor = new Thread(this::acceptLoop, "onion-socks-accept");
    this.acceptor.setDaemon(true);
  }

  /** Listens on 127.0.0.1:{@code port} (0 for any free port). */
  public static SocksServer start(OnionClient client, int port) throws IOException {
    return start(client, port, MAX_CONNECTIONS);
  }

  /** As {@link #start(OnionClient, int)}, with at most {@code maxConnections} at once. */
  public static SocksServer start(OnionClient client, int port, int maxConnections)
      throws IOException {
    if (maxConnections < 1 || maxConnections > MAX_CONNECTIONS) {
      throw new IllegalArgumentException("max connections must be 1.." + MAX_CONNECTIONS);
    }
    ServerSocketChannel server = ServerSocketChannel.open();
    server.socket().setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
    SocksServer socks = new SocksServer(client, server, maxConnections);
    socks.acceptor.start();
    return socks;
  }

  public int port() {
    return server.socket().getLocalPort();
  }

  /** Connections holding a slot now (being set up or bridged). */
  public int activeConnections() {
    return maxConnections - slots.availablePermits();
  }

  private void acceptLoop() {
    while (!closed) {
      SocketChannel channel;
      try {
        channel = server.accept();
      } catch (IOException e) {
        if (!closed) {
          LOG.warning("SOCKS accept failed: " + e.getClass().getSimpleName());
        }
        continue;
      }
      if (!slots.tryAcquire()) {
        closeQuietly(channel);
        continue;
      }
      threads.execute(
          () -> {
            boolean bridged = false;
            try {
              bridged = handle(channel);
            } finally {
              if (!bridged) {
                slots.release();
              }
            }
          });
    }
  }

  /**
   * Runs one SOCKS handshake; true if the connection is now bridged (its slot then stays taken).
   */
  private boolean handle(SocketChannel channel) {
    Socket socket = channel.socket();
    boolean bridged = false;
    try {
      socket.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
      socket.setTcpNoDelay(true);
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      Budget budget = new Budget();

      Socks5InitialRequest hello =
          read(in, new Socks5InitialRequestDecoder(), Socks5InitialRequest.class, budget);
      if (hello == null) {
        return false;
      }
      String isolation = "";
      if (hello.authMethods().contains(Socks5AuthMethod.PASSWORD)) {
        // IsolateSOCKSAuth (tor's default, which Tor Browser relies on): any username and
        // password are accepted, and they choose the rendezvous circuit. Like tor, prefer this
        // method when offered.
        write(out, new DefaultSocks5InitialResponse(Socks5AuthMethod.PASSWORD));
        Socks5PasswordAuthRequest auth =
            read(
                in,
                new Socks5PasswordAuthRequestDecoder(),
                Socks5PasswordAuthRequest.class,
                budget);
        if (auth == null) {
          return false;
        }
        write(out, new DefaultSocks5PasswordAuthResponse(Socks5PasswordAuthStatus.SUCCESS));
        isolation = isolationKey(auth.username(), auth.password());
      } else if (hello.authMethods().contains(Socks5AuthMethod.NO_AUTH)) {
        write(out, new DefaultSocks5InitialResponse(Socks5AuthMethod.NO_AUTH));
      } else {
        write(out, new DefaultSocks5InitialResponse(Socks5AuthMethod.UNACCEPTED));
        return false;
      }

      Socks5CommandRequest request =
          read(in, new Socks5CommandRequestDecoder(), Socks5CommandRequest.class, budget);
      if (request == null) {
        return false;
      }
      if (request.type() != Socks5CommandType.CONNECT) {
        reply(out, ConnectError.COMMAND_NOT_SUPPORTED.socksCode());
        return false;
      }
      if (request.dstAddrType() != Socks5AddressType.DOMAIN) {
        reply(out, ConnectError.HOST_UNREACHABLE.socksCode());
        return false;
      }
      String host = request.dstAddr();
      if (!host.toLowerCase(java.util.Locale.ROOT).endsWith(".onion")
          && !host.toLowerCase(java.util.Locale.ROOT).endsWith(".onion.")) {
        reply(out, ConnectError.HOST_UNREACHABLE.socksCode());
        return false;
      }
      OnionStream stream;
      try {
        stream = client.connect(host, request.dstPort(), isolation);
      } catch (OnionConnectException e) {
        reply(out, e.error().socksCode());
        return false;
      }
      reply(out, 0x00);
      socket.setSoTimeout(0);
      StreamBridge.start(stream, channel).whenComplete((v, e) -> slots.release());
      bridged = true;
    } catch (IOException e) {
      // A client that went away or sent garbage: its connection only.
    } finally {
      if (!bridged) {
        closeQuietly(channel);
      }
    }
    return bridged;
  }

  /**
   * The isolation key of a username and password (RFC 1929 bounds each to 255 bytes). The length
   * prefix keeps ("ab", "c") and ("a", "bc") apart. Never logged: it may identify the user.
   */
  static String isolationKey(String username, String password) {
    return username.length() + ":" + username + password;
  }

  /** What a complete client handshake asked for (fuzzing and tests). */
  record Handshake(String isolation, Socks5CommandRequest request) {}

  /**
   * Parses a client handshake the way {@link #handle} reads it from a socket, each message as the
   * client sends it after our answer to the previous one: greeting, username/password when offered,
   * then the request. Null when the input is not a complete, acceptable SOCKS5 handshake. Sans-IO,
   * for the fuzzer.
   */
  static Handshake parseHandshake(byte[] greeting, byte[] password, byte[] command)
      throws IOException {
    Budget budget = new Budget();
    Socks5InitialRequest hello =
        read(
            new java.io.ByteArrayInputStream(greeting),
            new Socks5InitialRequestDecoder(),
            Socks5InitialRequest.class,
            budget);
    if (hello == null) {
      return null;
    }
    String isolation = "";
    if (hello.authMethods().contains(Socks5AuthMethod.PASSWORD)) {
      Socks5PasswordAuthRequest auth =
          read(
              new java.io.ByteArrayInputStream(password),
              new Socks5PasswordAuthRequestDecoder(),
              Socks5PasswordAuthRequest.class,
              budget);
      if (auth == null) {
        return null;
      }
      isolation = isolationKey(auth.username(), auth.password());
    } else if (!hello.authMethods().contains(Socks5AuthMethod.NO_AUTH)) {
      return null;
    }
    Socks5CommandRequest request =
        read(
            new java.io.ByteArrayInputStream(command),
            new Socks5CommandRequestDecoder(),
            Socks5CommandRequest.class,
            budget);
    return request == null ? null : new Handshake(isolation, request);
  }

  /** Bytes read so far in one handshake. */
  private static final class Budget {
    int used;
  }

  /** Reads bytes until {@code decoder} yields one message; null if the input is not SOCKS5. */
  private static <T extends Socks5Message> T read(
      InputStream in, io.netty.channel.ChannelHandler decoder, Class<T> type, Budget budget)
      throws IOException {
    EmbeddedChannel channel = new EmbeddedChannel(decoder);
    try {
      byte[] buf = new byte[256];
      while (true) {
        Object message = channel.readInbound();
        if (message != null) {
          if (!type.isInstance(message)) {
            return null;
          }
          DecoderResult result = ((Socks5Message) message).decoderResult();
          return result.isSuccess() ? type.cast(message) : null;
        }
        int n;
        try {
          n = in.read(buf, 0, Math.min(buf.length, MAX_HANDSHAKE_BYTES - budget.used));
        } catch (SocketTimeoutException e) {
          return null;
        }
        if (n <= 0) {
          return null;
        }
        budget.used += n;
        channel.writeInbound(Unpooled.copiedBuffer(buf, 0, n));
        if (budget.used >= MAX_HANDSHAKE_BYTES && channel.inboundMessages().isEmpty()) {
          return null;
        }
      }
    } finally {
      channel.finishAndReleaseAll();
    }
  }

  private static void write(OutputStream out, Socks5Message message) throws IOException {
    EmbeddedChannel channel = new EmbeddedChannel(Socks5ServerEncoder.DEFAULT);
    try {
      channel.writeOutbound(message);
      ByteBuf encoded = channel.readOutbound();
      byte[] bytes = new byte[encoded.readableBytes()];
      encoded.readBytes(bytes);
      encoded.release();
      out.write(bytes);
      out.flush();
    } finally {
      channel.finishAndReleaseAll();
    }
  }

  private static void reply(OutputStream out, int code) throws IOException {
    write(
        out,
        new DefaultSocks5CommandResponse(
            Socks5CommandStatus.valueOf((byte) code), Socks5AddressType.IPv4, "0.0.0.0", 0));
  }

  private static void closeQuietly(java.io.Closeable socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already gone
    }
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    threads.shutdownNow();
  }
}
