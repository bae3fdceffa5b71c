package org.oniondrop.dropbox.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Design promise 5, attacked through the onion services: a table of request variants (matrix
 * parameters in every segment, percent-encodings, dot segments, empty segments, backslashes,
 * non-ASCII, case, trailing slashes, HEAD and OPTIONS, absolute-form and asterisk-form targets,
 * HTTP/1.0, an {@code Upgrade: h2c} request and HTTP/2 cleartext with prior knowledge) is sent over
 * raw sockets through the embedded SOCKS port to the SOURCE onion address, and none may answer
 * journalist, API, OpenAPI or health content; then the mirror table (source paths) goes to the
 * JOURNALIST onion address, and none may answer source content. Each row also asserts its exact
 * status. The rows and what each answered are written to {@code
 * target/listener-isolation-table.txt}.
 */
@QuarkusTest
class ListenerIsolationTest {

  /** Upper bound on one response read through the onion service. */
  static final int MAX_RESPONSE_BYTES = 1 << 20;

  /** What only the journalist side ever sends (pages, cookie, API root, CSS, OpenAPI, health). */
  static final List<String> JOURNALIST_MARKERS =
      List.of(
          "/jstatic/",
          "od_journalist",
          "current_user_url",
          "auth_token_url",
          "journalist interface",
          "openapi",
          "\"checks\"",
          "name=\"token\"");

  /** What only the source side ever sends. */
  static final List<String> SOURCE_MARKERS =
      List.of("/static/", "od_source", "source interface", "href=\"/generate\"", "codename");

  @Inject OnionHosting onion;

  /** One row: a name, how to send it, the exact status expected. */
  record Variant(String name, String method, String target, String extraHeaders, int status) {
    static Variant get(String target, int status) {
      return new Variant("GET " + target, "GET", target, "", status);
    }

    static Variant of(String method, String target, int status) {
      return new Variant(method + " " + target, method, target, "", status);
    }

    static Variant h2(String target, int status) {
      return new Variant("h2c prior knowledge GET " + target, "H2", target, "", status);
    }
  }

  static List<Variant> journalistTargets(String journalistHost, String sourceHost) {
    List<Variant> v = new ArrayList<>();
    // Plain journalist, API, static, OpenAPI and health paths: the listener split answers 404.
    for (String p :
        List.of(
            "/journalist/login",
            "/journalist/",
            "/journalist",
            "/journalist/login/",
            "/journalist/admin/status",
            "/api/v1/",
            "/api/v1",
            "/api",
            "/api/v1/user",
            "/jstatic/journalist.css",
            "/q/openapi",
            "/q/openapi?format=json",
            "/q/health",
            "/q/health/ready",
            "/q/health/live")) {
      v.add(Variant.get(p, 404));
    }
    // Case variants: nothing matches (routing is case-sensitive): the source 404.
    for (String p :
        List.of(
            "/JOURNALIST/login",
            "/Journalist/Login",
            "/API/v1/",
            "/Api/V1/",
            "/JSTATIC/journalist.css",
            "/Q/openapi")) {
      v.add(Variant.get(p, 404));
    }
    // Ambiguous targets: refused with 400 before routing.
    for (String p :
        List.of(
            "/journalist;x/login",
            "/journalist/login;x",
            "/;x/journalist/login",
            "/journalist;a=b/login;c=d",
            "/journalist;/login",
            "/api;x/v1/",
            "/api/v1;x/",
            "/api/v1/;x",
            "/api;/v1;/user;",
            "/jstatic;x/journalist.css",
            "/q;x/openapi",
            "/q/health;x/ready",
            "/%6Aournalist/login",
            "/journalist%2Flogin",
            "/journalist%2flogin",
            "/x%2F..%2Fjournalist/login",
            "/%2e%2e/journalist/login",
            "/journalist%2E/login",
            "/journalist%5Clogin",
            "/journalist%00/login",
            "/journalist%C3%B6/login",
            "/%61pi/v1/",
            "/x/../journalist/login",
            "/./journalist/login",
            "/journalist/./login",
            "/static/../jstatic/journalist.css",
            "/generate/../api/v1/",
            "/journalist/login/..",
            "//journalist/login",
            "/journalist//login",
            "/api/v1//",
            "/journalist\\login",
            "/journ\u00e4list/login")) {
      v.add(Variant.get(p, 400));
    }
    // Absolute-form targets naming either onion address.
    v.add(Variant.get("http://" + journalistHost + "/journalist/login", 400));
    v.add(Variant.get("http://" + sourceHost + "/api/v1/", 400));
    v.add(Variant.get("http://" + sourceHost + "/q/health", 400));
    // Other methods.
    v.add(Variant.of("HEAD", "/journalist/login", 404));
    v.add(Variant.of("HEAD", "/api/v1/", 404));
    v.add(Variant.of("OPTIONS", "/journalist/login", 404));
    v.add(Variant.of("OPTIONS", "/api/v1/", 404));
    v.add(Variant.of("OPTIONS", "/q/openapi", 404));
    // Asterisk-form: Vert.x's router answers 404 itself (no route matches a path without a
    // leading slash), before any filter or resource runs.
    v.add(Variant.get("*", 404));
    v.add(Variant.of("OPTIONS", "*", 404));
    v.add(Variant.of("POST", "/journalist/login", 404));
    v.add(Variant.of("POST", "/api/v1/token", 404));
    v.add(Variant.of("POST", "/journalist;x/login", 400));
    v.add(Variant.of("HEAD", "/api;x/v1/", 400));
    // Headers that try to move the request elsewhere.
    v.add(
        new Variant(
            "GET /journalist/login, Host: journalist onion",
            "GET",
            "/journalist/login",
            "HOST:" + journalistHost,
            404));
    v.add(
        new Variant(
            "GET /api/v1/user with a token",
            "GET",
            "/api/v1/user",
            "Authorization: Token x\r\n",
            404));
    v.add(
        new Variant(
            "GET /journalist/login, X-Original-URL",
            "GET",
            "/generate",
            "X-Original-URL: /journalist/login\r\nX-Rewrite-URL: /journalist/login\r\n",
            200));
    v.add(new Variant("HTTP/1.0 GET /journalist/login", "GET10", "/journalist/login", "", 404));
    v.add(new Variant("HTTP/1.0 GET /api;x/v1/", "GET10", "/api;x/v1/", "", 400));
    v.add(
        new Variant(
            "GET /journalist/login, Upgrade: h2c",
            "GET",
            "/journalist/login",
            "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\nConnection: Upgrade, HTTP2-Settings\r\n",
            UPGRADE_STATUS));
    // HTTP/2 cleartext with prior knowledge.
    v.add(Variant.h2("/journalist/login", 404));
    v.add(Variant.h2("/api/v1/", 404));
    v.add(Variant.h2("/q/health", 404));
    v.add(Variant.h2("/journalist;x/login", 400));
    v.add(Variant.h2("/api/v1/%2e%2e/v1/", 400));
    return v;
  }

  /**
   * The HTTP/1.1 upgrade to h2c is accepted (101); the answer on stream 1 that follows is the same
   * 404 and is searched for markers like every other answer.
   */
  static final int UPGRADE_STATUS = 101;

  static List<Variant> sourceTargets(String journalistHost, String sourceHost) {
    List<Variant> v = new ArrayList<>();
    for (String p :
        List.of(
            "/generate",
            "/lookup",
            "/login",
            "/metadata",
            "/public-key",
            "/why-public-key",
            "/static/style.css",
            "/static/logo.svg",
            "/generate/",
            "/GENERATE",
            "/Static/style.css")) {
      v.add(Variant.get(p, 404));
    }
    v.add(Variant.get("/", 302)); // the journalist listener redirects / to its own login
    for (String p :
        List.of(
            "/generate;x",
            "/;x",
            "/static;x/style.css",
            "/static/style.css;x",
            "/%67enerate",
            "/static%2Fstyle.css",
            "/journalist/../generate",
            "/jstatic/../static/style.css",
            "/journalist/%2e%2e/lookup",
            "//generate",
            "/static//style.css",
            "/static\\style.css",
            "/gen\u00e9rate")) {
      v.add(Variant.get(p, 400));
    }
    v.add(Variant.get("http://" + sourceHost + "/generate", 400));
    v.add(Variant.get("http://" + journalistHost + "/lookup", 400));
    v.add(Variant.of("HEAD", "/generate", 404));
    v.add(Variant.of("OPTIONS", "/generate", 404));
    v.add(Variant.of("POST", "/generate", 404));
    v.add(Variant.of("POST", "/login", 404));
    v.add(Variant.get("*", 404)); // Vert.x's router: see journalistTargets
    v.add(Variant.of("OPTIONS", "*", 404));
    v.add(
        new Variant(
            "GET /generate, Host: source onion", "GET", "/generate", "HOST:" + sourceHost, 404));
    v.add(new Variant("HTTP/1.0 GET /generate", "GET10", "/generate", "", 404));
    v.add(Variant.h2("/generate", 404));
    v.add(Variant.h2("/generate;x", 400));
    return v;
  }

  @Test
  void theSourceOnionServiceAnswersNothingOfTheJournalistSide() throws Exception {
    onion.publication().get(120, TimeUnit.SECONDS);
    String source = onion.sourceAddress();
    String journalist = onion.journalistAddress();
    List<Variant> table = journalistTargets(journalist, source);
    assertThat(table).hasSizeGreaterThanOrEqualTo(40);
    run("source onion service, journalist targets", source, table, JOURNALIST_MARKERS);
  }

  @Test
  void theJournalistOnionServiceAnswersNothingOfTheSourceSide() throws Exception {
    onion.publication().get(120, TimeUnit.SECONDS);
    String source = onion.sourceAddress();
    String journalist = onion.journalistAddress();
    List<Variant> table = sourceTargets(journalist, source);
    assertThat(table).hasSizeGreaterThanOrEqualTo(40 - 10);
    run("journalist onion service, source targets", journalist, table, SOURCE_MARKERS);
  }

  @Inject Listeners listeners;

  /**
   * The resource gate on its own, with paths the path split lets through: a journalist-module
   * resource at a path outside the journalist prefixes is not served on the source listener, and a
   * resource of another module under {@code /journalist/} is not served on the journalist listener
   * (both probes are test resources, see {@code IsolationProbes}).
   */
  @Test
  void resourcesAreServedOnlyOnTheirOwnListenerWhateverTheirPath() {
    String journalistBase = "http://127.0.0.1:" + listeners.journalistPort();
    io.restassured.response.Response onSource =
        io.restassured.RestAssured.given().get("/probe-journalist-resource");
    assertThat(onSource.statusCode()).isEqualTo(404);
    assertThat(onSource.asString()).doesNotContain("journalist-probe");
    io.restassured.response.Response onJournalist =
        io.restassured.RestAssured.given()
            .get(journalistBase + "/journalist/probe-source-resource");
    assertThat(onJournalist.statusCode()).isEqualTo(404);
    assertThat(onJournalist.asString()).doesNotContain("source-probe");
  }

  private void run(String title, String address, List<Variant> table, List<String> forbidden)
      throws IOException {
    StringBuilder report = new StringBuilder("## " + title + "\n");
    List<String> failures = new ArrayList<>();
    for (Variant v : table) {
      Answer a;
      try {
        a = send(address, v);
      } catch (IOException | RuntimeException e) {
        a = new Answer(-3, e.toString());
      }
      String lower = a.text().toLowerCase(Locale.ROOT);
      List<String> leaked =
          forbidden.stream().filter(m -> lower.contains(m.toLowerCase(Locale.ROOT))).toList();
      report.append(String.format("%-70s -> %d%n", v.name(), a.status()));
      if (a.status() < 0) {
        report.append("    ").append(a.text().lines().findFirst().orElse("")).append('\n');
      }
      if (!leaked.isEmpty()) {
        failures.add(v.name() + " leaked " + leaked + ":\n" + a.text());
      }
      if (a.status() != v.status()) {
        failures.add(v.name() + " answered " + a.status() + ", expected " + v.status());
      }
    }
    Path out = Path.of("target", "listener-isolation-table.txt");
    Files.writeString(
        out,
        report.toString(),
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    assertThat(failures).as(report.toString()).isEmpty();
  }

  /** A status (-1 if none could be read) and everything received, decoded leniently. */
  record Answer(int status, String text) {}

  private Answer send(String address, Variant v) throws IOException {
    Proxy proxy =
        new Proxy(Proxy.Type.SOCKS, new InetSocketAddress("127.0.0.1", onion.socksPort()));
    try (Socket s = new Socket(proxy)) {
      s.setSoTimeout(30_000);
      s.connect(InetSocketAddress.createUnresolved(address, 80), 60_000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      if (v.method().equals("H2")) {
        return h2(out, in, address, v.target());
      }
      String host = address;
      String extra = v.extraHeaders();
      if (extra.startsWith("HOST:")) {
        host = extra.substring(5);
        extra = "";
      }
      String method = v.method().equals("GET10") ? "GET" : v.method();
      String version = v.method().equals("GET10") ? "HTTP/1.0" : "HTTP/1.1";
      String body = method.equals("POST") ? "username=a&passphrase=b&token=123456" : "";
      String request =
          method
              + " "
              + v.target()
              + " "
              + version
              + "\r\nHost: "
              + host
              + "\r\n"
              + extra
              + (extra.contains("Connection:") ? "" : "Connection: close\r\n")
              + (body.isEmpty()
                  ? ""
                  : "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                      + body.length()
                      + "\r\n")
              + "\r\n"
              + body;
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      byte[] all = readAll(in);
      String text = new String(all, StandardCharsets.ISO_8859_1);
      int status = -1;
      if (text.startsWith("HTTP/1.")) {
        status = Integer.parseInt(text.substring(9, 12));
      }
      return new Answer(status, text);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      int n;
      while ((n = in.read(buf)) > 0 && all.size() < MAX_RESPONSE_BYTES) {
        all.write(buf, 0, n);
      }
    } catch (SocketTimeoutException e) {
      // An upgraded connection stays open: what arrived is what we judge.
    }
    return all.toByteArray();
  }

  // --- HTTP/2 cleartext with prior knowledge (RFC 9113 section 3.3), just enough to ask and read.

  private static Answer h2(OutputStream out, InputStream raw, String authority, String path)
      throws IOException {
    ByteArrayOutputStream req = new ByteArrayOutputStream();
    req.writeBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    frame(req, 4, 0, 0, new byte[0]); // SETTINGS
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    block.write(0x82); // :method GET (static index 2)
    block.write(0x86); // :scheme http (static index 6)
    literal(block, 4, path); // :path
    literal(block, 1, authority); // :authority
    frame(req, 1, 0x5, 1, block.toByteArray()); // HEADERS, END_STREAM | END_HEADERS, stream 1
    out.write(req.toByteArray());
    out.flush();
    DataInputStream in = new DataInputStream(raw);
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    int status = -1;
    try {
      while (data.size() < MAX_RESPONSE_BYTES) {
        int length = (in.readUnsignedByte() << 16) | in.readUnsignedShort();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int stream = in.readInt() & 0x7fffffff;
        if (length > MAX_RESPONSE_BYTES) {
          break;
        }
        byte[] payload = in.readNBytes(length);
        if (type == 4 && (flags & 1) == 0) {
          frame(out, 4, 1, 0, new byte[0]); // SETTINGS ACK
        }
        if (type == 1 && stream == 1) {
          int skip = 0;
          if ((flags & 0x08) != 0) { // PADDED: pad length first, padding last
            int pad = payload[0] & 0xff;
            payload = java.util.Arrays.copyOfRange(payload, 1, payload.length - pad);
          }
          if ((flags & 0x20) != 0) {
            skip = 5; // PRIORITY: stream dependency and weight (RFC 9113 section 6.2)
          }
          payload = java.util.Arrays.copyOfRange(payload, skip, payload.length);
          status = h2Status(payload);
          if (status == -1) {
            data.writeBytes(
                java.util.HexFormat.of()
                    .formatHex(payload, 0, Math.min(8, length))
                    .getBytes(StandardCharsets.US_ASCII));
          }
          data.writeBytes(payload);
        }
        if (type == 0 && stream == 1) {
          data.writeBytes(payload);
        }
        if ((type == 0 || type == 1) && stream == 1 && (flags & 1) != 0) {
          break;
        }
        if (type == 7) { // GOAWAY
          data.writeBytes(payload);
          break;
        }
      }
    } catch (EOFException | SocketTimeoutException e) {
      // The server ended the connection: judge what arrived.
    }
    String text = data.toString(StandardCharsets.ISO_8859_1);
    if (status == -1 && text.isEmpty()) {
      // Not spoken as HTTP/2: the preface was answered as HTTP/1.1.
      return new Answer(-1, text);
    }
    return new Answer(status, text);
  }

  private static void frame(OutputStream out, int type, int flags, int stream, byte[] payload)
      throws IOException {
    out.write(new byte[] {(byte) (payload.length >> 16), (byte) (payload.length >> 8)});
    out.write(payload.length);
    out.write(type);
    out.write(flags);
    out.write(new byte[] {(byte) (stream >> 24), (byte) (stream >> 16), (byte) (stream >> 8)});
    out.write(stream);
    out.write(payload);
    out.flush();
  }

  /** A literal header field without indexing, indexed name, raw value (RFC 7541 section 6.2.2). */
  private static void literal(ByteArrayOutputStream block, int nameIndex, String value) {
    byte[] b = value.getBytes(StandardCharsets.UTF_8);
    assertThat(b.length).isLessThan(127);
    block.write(nameIndex);
    block.write(b.length);
    block.writeBytes(b);
  }

  /** The {@code :status} of a response header block's first field (RFC 7541 appendix A, B). */
  static int h2Status(byte[] block) {
    int at = 0;
    while (at < block.length && (block[at] & 0xe0) == 0x20) {
      at++; // a dynamic table size update (section 6.3)
    }
    if (at >= block.length - 1) {
      return -1;
    }
    int first = block[at] & 0xff;
    int[] indexed = {200, 204, 206, 304, 400, 404, 500}; // static table entries 8..14
    if ((first & 0x80) != 0) {
      int index = first & 0x7f;
      return index >= 8 && index <= 14 ? indexed[index - 8] : -1;
    }
    // A literal with an indexed :status name (any representation): the value follows.
    int nameIndex = (first & 0x40) != 0 ? first & 0x3f : first & 0x0f;
    if (nameIndex < 8 || nameIndex > 14) {
      return -1;
    }
    int lengthByte = block[at + 1] & 0xff;
    boolean huffman = (lengthByte & 0x80) != 0;
    int length = lengthByte & 0x7f;
    byte[] value = java.util.Arrays.copyOfRange(block, at + 2, at + 2 + length);
    String digits = huffman ? huffmanDigits(value) : new String(value, StandardCharsets.US_ASCII);
    return digits.matches("[0-9]{3}") ? Integer.parseInt(digits) : -1;
  }

  /** Huffman-decodes a string of decimal digits (RFC 7541 appendix B: '0'-'2' 5 bits, others 6). */
  private static String huffmanDigits(byte[] value) {
    StringBuilder s = new StringBuilder();
    int bits = 0;
    int acc = 0;
    for (byte b : value) {
      for (int i = 7; i >= 0; i--) {
        acc = (acc << 1) | ((b >> i) & 1);
        bits++;
        if (bits == 5 && acc <= 2) {
          s.append((char) ('0' + acc));
          acc = 0;
          bits = 0;
        } else if (bits == 6 && acc >= 0x19 && acc <= 0x1f) {
          s.append((char) ('3' + acc - 0x19));
          acc = 0;
          bits = 0;
        }
      }
      if (s.length() == 3) {
        break;
      }
    }
    return s.toString();
  }
}
