package org.oniondrop.onion.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.oniondrop.onion.keys.HsIdentity;
import org.oniondrop.onion.keys.OnionAddress;
import org.oniondrop.onion.service.ServiceConfig;

/**
 * One control connection to tor (control-spec.txt). Replies are read by a reader thread that hands
 * synchronous replies to the caller and asynchronous events ({@code 650}) to a listener. Commands
 * are serialized; each waits at most {@link #REPLY_TIMEOUT_SECONDS}.
 */
public final class TorControl implements AutoCloseable {

  /** Longest reply line we accept (tor's are far shorter); bounds a misbehaving peer. */
  public static final int MAX_LINE_BYTES = 64 * 1024;

  /** Longest multi-line reply, in lines. */
  public static final int MAX_REPLY_LINES = 10_000;

  /** A command waits this long for its reply. */
  public static final long REPLY_TIMEOUT_SECONDS = 60;

  /** The control cookie is 32 bytes (control-spec 3.5). */
  public static final int COOKIE_LENGTH = 32;

  private static final String SERVER_HASH_KEY =
      "Tor safe cookie authentication server-to-controller hash";
  private static final String CLIENT_HASH_KEY =
      "Tor safe cookie authentication controller-to-server hash";

  /** One reply: its status code and lines (the text after the code and separator). */
  public record Reply(int status, List<String> lines) {
    public boolean ok() {
      return status == 250;
    }

    public String first() {
      return lines.isEmpty() ? "" : lines.get(0);
    }
  }

  private final SocketChannel channel;
  private final InputStream in;
  private final OutputStream out;
  private final BlockingQueue<Object> replies = new ArrayBlockingQueue<>(16);
  private final Thread reader;
  private volatile Consumer<Reply> events = e -> {};
  private volatile boolean closed;

  private TorControl(SocketChannel channel) {
    this.channel = channel;
    // Not Channels.newInputStream/newOutputStream: on Java 17 they share the channel's blocking
    // lock, so a blocked read would stall every write. SocketChannel reads and writes lock
    // separately.
    this.in = new java.io.BufferedInputStream(new ChannelIn(channel));
    this.out = new ChannelOut(channel);
    this.reader = new Thread(this::readLoop, "tor-control-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Connects to {@code target}: {@code host:port} or {@code unix:/path/to/control.sock}.
   *
   * @throws TorControlException if the address is malformed or nothing answers
   */
  public static TorControl connect(String target) throws TorControlException {
    try {
      SocketChannel ch;
      if (target.startsWith("unix:")) {
        ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(target.substring("unix:".length())));
      } else {
        int colon = target.lastIndexOf(':');
        if (colon <= 0) {
          throw new TorControlException("tor control address must be host:port or unix:/path");
        }
        int port = Integer.parseInt(target.substring(colon + 1));
        ch = SocketChannel.open(new InetSocketAddress(target.substring(0, colon), port));
      }
      return new TorControl(ch);
    } catch (NumberFormatException e) {
      throw new TorControlException("bad tor control port in '" + target + "'");
    } catch (TorControlException e) {
      throw e;
    } catch (IOException e) {
      throw new TorControlException("cannot connect to tor's control port " + target, e);
    }
  }

  /** Where asynchronous events (status 650) go; set before {@code SETEVENTS}. */
  public void onEvent(Consumer<Reply> listener) {
    this.events = listener;
  }

  /** Blocks until the connection ends (tor closed it, or {@link #close()}). */
  public void awaitClosed() throws InterruptedException {
    reader.join();
  }

  public boolean isOpen() {
    return !closed && channel.isOpen() && reader.isAlive();
  }

  /**
   * Authenticates with the best method tor offers (control-spec 3.5, 3.24): SAFECOOKIE, then
   * COOKIE, then HASHEDPASSWORD with {@code password}, then NULL.
   *
   * @param cookieFile the cookie file, or null to use the one PROTOCOLINFO names
   * @param password the control password, or null
   */
  public void authenticate(Path cookieFile, String password) throws TorControlException {
    Reply info = command("PROTOCOLINFO 1");
    String methods = "";
    String advertisedCookie = null;
    for (String line : info.lines()) {
      if (line.startsWith("AUTH ")) {
        Matcher m = Pattern.compile("METHODS=(\\S+)").matcher(line);
        if (m.find()) {
          methods = m.group(1);
        }
        Matcher c = Pattern.compile("COOKIEFILE=\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(line);
        if (c.find()) {
          advertisedCookie = c.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
      }
    }
    List<String> offered = List.of(methods.split(","));
    Path cookie =
        cookieFile != null
            ? cookieFile
            : advertisedCookie == null ? null : Path.of(advertisedCookie);
    Reply r;
    if (offered.contains("SAFECOOKIE") && cookie != null) {
      r = safeCookie(readCookie(cookie));
    } else if (offered.contains("COOKIE") && cookie != null) {
      r = command("AUTHENTICATE " + HexFormat.of().formatHex(readCookie(cookie)));
    } else if (offered.contains("HASHEDPASSWORD") && password != null) {
      r = command("AUTHENTICATE " + quote(password));
    } else if (offered.contains("NULL")) {
      r = command("AUTHENTICATE");
    } else {
      throw new TorControlException(
          "tor offers authentication methods " + methods + ", and none is configured");
    }
    if (!r.ok()) {
      throw new TorControlException("tor refused authentication: " + r.status() + " " + r.first());
    }
  }

  private static byte[] readCookie(Path file) throws TorControlException {
    try {
      if (Files.size(file) != COOKIE_LENGTH) {
        throw new TorControlException(file + " is not a 32-byte control cookie");
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new TorControlException("cannot read the control cookie " + file, e);
    }
  }

  private Reply safeCookie(byte[] cookie) throws TorControlException {
    byte[] clientNonce = new byte[32];
    new SecureRandom().nextBytes(clientNonce);
    Reply challenge = command("AUTHCHALLENGE SAFECOOKIE " + HexFormat.of().formatHex(clientNonce));
    if (!challenge.ok()) {
      throw new TorControlException("AUTHCHALLENGE refused: " + challenge.first());
    }
    Matcher m =
        Pattern.compile("SERVERHASH=([0-9A-Fa-f]{64}) SERVERNONCE=([0-9A-Fa-f]{64})")
            .matcher(challenge.first());
    if (!m.find()) {
      throw new TorControlException("unexpected AUTHCHALLENGE reply");
    }
    byte[] serverHash = HexFormat.of().parseHex(m.group(1));
    byte[] serverNonce = HexFormat.of().parseHex(m.group(2));
    byte[] message = concat(cookie, clientNonce, serverNonce);
    if (!MessageDigest.isEqual(serverHash, hmac(SERVER_HASH_KEY, message))) {
      throw new TorControlException("tor's SAFECOOKIE server hash is wrong: not our tor");
    }
    return command("AUTHENTICATE " + HexFormat.of().formatHex(hmac(CLIENT_HASH_KEY, message)));
  }

  private static byte[] hmac(String key, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      b.writeBytes(p);
    }
    return b.toByteArray();
  }

  /**
   * Hosts an onion service with our key (control-spec 3.27): {@code ADD_ONION ED25519-V3:<key>}
   * with {@code Port=} mappings, {@code ClientAuthV3=} keys, and {@code PoWDefensesEnabled=1} when
   * the service asks for proof-of-work defences (tor 0.4.8 or later); tor never generates a key for
   * us and chooses its own number of introduction points. Without the {@code Detach} flag, tor
   * removes the service when this connection closes.
   *
   * @return the service id tor answers (the address without ".onion")
   */
  public String addOnion(ServiceConfig service) throws TorControlException {
    if (!service.publishable()) {
      // Fail closed: without this check an empty key list would add the service without V3Auth.
      throw new IllegalArgumentException(
          "the service requires client authorization but no client is authorized");
    }
    HsIdentity identity = service.identity();
    Map<Integer, InetSocketAddress> ports = service.ports();
    List<byte[]> clientAuthKeys = service.authorizedClients();
    byte[] secret = identity.expandedSecret();
    StringBuilder cmd = new StringBuilder("ADD_ONION ED25519-V3:");
    cmd.append(Base64.getEncoder().encodeToString(secret));
    java.util.Arrays.fill(secret, (byte) 0);
    // V3Auth: the ClientAuthV3 keys below are required (control-spec 3.27).
    cmd.append(clientAuthKeys.isEmpty() ? " Flags=DiscardPK" : " Flags=DiscardPK,V3Auth");
    ports.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e ->
                cmd.append(" Port=")
                    .append(e.getKey())
                    .append(',')
                    .append(e.getValue().getHostString())
                    .append(':')
                    .append(e.getValue().getPort()));
    for (byte[] key : clientAuthKeys) {
      cmd.append(" ClientAuthV3=").append(OnionAddress.base32Encode(key).toUpperCase(Locale.ROOT));
    }
    if (service.powDefenses()) {
      cmd.append(" PoWDefensesEnabled=1");
    }
    Reply r = command(cmd.toString());
    cmd.setLength(0);
    if (!r.ok()) {
      throw new TorControlException("ADD_ONION refused: " + r.status() + " " + r.first());
    }
    for (String line : r.lines()) {
      if (line.startsWith("ServiceID=")) {
        String id = line.substring("ServiceID=".length());
        if (!id.equals(identity.address().label())) {
          throw new TorControlException("tor hosts " + id + ", not our key's address");
        }
        return id;
      }
    }
    throw new TorControlException("ADD_ONION reply has no ServiceID");
  }

  /** Stops hosting a service added on this connection. */
  public void delOnion(String serviceId) throws TorControlException {
    Reply r = command("DEL_ONION " + serviceId);
    if (!r.ok()) {
      throw new TorControlException("DEL_ONION refused: " + r.first());
    }
  }

  /**
   * Closes the service side's rendezvous circuits of the onion service {@code label} (control-spec
   * 3.4 GETINFO circuit-status, 3.5 CLOSECIRCUIT): those with {@code PURPOSE=HS_SERVICE_REND} and
   * {@code REND_QUERY=label}.
   *
   * @return how many were closed
   */
  public int closeServiceRendezvousCircuits(String label) throws TorControlException {
    Reply status = command("GETINFO circuit-status");
    if (!status.ok()) {
      throw new TorControlException("GETINFO circuit-status refused: " + status.first());
    }
    int closed = 0;
    for (String line : status.lines()) {
      String l =
          line.startsWith("circuit-status=") ? line.substring("circuit-status=".length()) : line;
      if (l.contains(" PURPOSE=HS_SERVICE_REND") && l.contains(" REND_QUERY=" + label)) {
        String id = l.split(" ", 2)[0];
        if (id.matches("[0-9]+") && command("CLOSECIRCUIT " + id).ok()) {
          closed++;
        }
      }
    }
    return closed;
  }

  /** Subscribes to events, e.g. {@code HS_DESC}. */
  public void setEvents(String... names) throws TorControlException {
    Reply r = command("SETEVENTS " + String.join(" ", names));
    if (!r.ok()) {
      throw new TorControlException("SETEVENTS refused: " + r.first());
    }
  }

  /** Sends one command line and waits for its reply. */
  public synchronized Reply command(String line) throws TorControlException {
    if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("a control command is one line");
    }
    try {
      out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      Object reply = replies.poll(REPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (reply == null) {
        throw new TorControlException("tor did not answer within " + REPLY_TIMEOUT_SECONDS + " s");
      }
      if (reply instanceof TorControlException e) {
        throw new TorControlException(e.getMessage(), e);
      }
      return (Reply) reply;
    } catch (IOException e) {
      throw new TorControlException("the tor control connection failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TorControlException("interrupted");
    }
  }

  private static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  private void readLoop() {
    try {
      while (!closed) {
        Reply r = readReply();
        if (r == null) {
          break;
        }
        if (r.status() == 650) {
          try {
            events.accept(r);
          } catch (RuntimeException e) {
            // a listener's failure must not stop the reader
          }
        } else {
          replies.put(r);
        }
      }
    } catch (IOException | InterruptedException e) {
      // the connection ended
    } finally {
      closed = true;
      replies.offer(new TorControlException("the tor control connection closed"));
    }
  }

  /** Reads one reply (control-spec 2.3): "NNN-", "NNN+" (data until "."), "NNN " ends it. */
  private Reply readReply() throws IOException {
    List<String> lines = new ArrayList<>();
    int status = -1;
    while (true) {
      String line = readLine();
      if (line == null) {
        return null;
      }
      if (line.length() < 4) {
        throw new TorControlException("malformed control reply line");
      }
      int code;
      try {
        code = Integer.parseInt(line.substring(0, 3));
      } catch (NumberFormatException e) {
        throw new TorControlException("malformed control reply status");
      }
      status = code;
      char sep = line.charAt(3);
      String text = line.substring(4);
      if (lines.size() >= MAX_REPLY_LINES) {
        throw new TorControlException("control reply too long");
      }
      lines.add(text);
      if (sep == '+') {
        while (true) {
          String data = readLine();
          if (data == null) {
            return null;
          }
          if (data.equals(".")) {
            break;
          }
          if (lines.size() >= MAX_REPLY_LINES) {
            throw new TorControlException("control reply too long");
          }
          lines.add(data.startsWith("..") ? data.substring(1) : data);
        }
      } else if (sep == ' ') {
        return new Reply(status, List.copyOf(lines));
      } else if (sep != '-') {
        throw new TorControlException("malformed control reply separator");
      }
    }
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int len =
            bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, len, StandardCharsets.UTF_8);
      }
      if (line.size() >= MAX_LINE_BYTES) {
        throw new TorControlException("control reply line too long");
      }
      line.write(b);
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      channel.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  private static final class ChannelIn extends InputStream {
    private final SocketChannel ch;

    ChannelIn(SocketChannel ch) {
      this.ch = ch;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = ch.read(java.nio.ByteBuffer.wrap(b, off, len));
      return n;
    }
  }

  private static final class ChannelOut extends OutputStream {
    private final SocketChannel ch;

    ChannelOut(SocketChannel ch) {
      this.ch = ch;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b, off, len);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
    }
  }
}
