package org.oniondrop.dropbox.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Design promise 1's memory half, against the packaged application in its own process: a 1 GiB
 * upload succeeds with a 256 MiB heap, and real gpg opens what was stored to the same bytes.
 */
class LargeUploadMemoryIT {

  private static final long SIZE = 1L << 30;
  private static final String HEAP = "-Xmx256m";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  @TempDir Path work;
  private Process app;

  @AfterEach
  void stop() throws Exception {
    if (app != null) {
      app.destroy();
      if (!app.waitFor(20, TimeUnit.SECONDS)) {
        app.destroyForcibly();
      }
    }
    run(List.of("gpgconf", "--kill", "all"));
  }

  @Test
  void aGibibyteUploadSucceedsWith256MiBOfHeapAndGpgOpensIt() throws Exception {
    // Given a submission key made by gpg and the packaged app running with a small heap
    Path key = makeKey();
    int port = ItSupport.freePort();
    Path data = work.resolve("data");
    Path log = work.resolve("app.log");
    app =
        new ProcessBuilder(
                ItSupport.java(),
                HEAP,
                ItSupport.GC_OPTION,
                "-Doniondrop.data-dir=" + data,
                "-Doniondrop.submission-key=" + key,
                "-Doniondrop.sources.kdf=scrypt:N=16,r=1,p=1",
                "-Doniondrop.sources.allow-test-kdf=true",
                "-Doniondrop.limits.max-upload-bytes=" + (SIZE + (1 << 20)),
                "-Doniondrop.limits.max-submission-bytes=" + (SIZE + (2 << 20)),
                "-Dquarkus.http.port=" + port,
                "-Doniondrop.server.journalist-port=0",
                "-Doniondrop.onion.socks-port=0",
                "-Doniondrop.onion.relays=5",
                "-jar",
                System.getProperty("quarkus.app.jar"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    String base = "http://127.0.0.1:" + port;
    awaitUp(base, log);

    // When a source streams 1 GiB
    String cookie = sourceCookie(base);
    String csrf = csrf(get(base + "/lookup", cookie));
    String boundary = "----oniondrop-it";
    byte[] head =
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
                + csrf
                + "\r\n"
                + "--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    HttpURLConnection post =
        (HttpURLConnection) URI.create(base + "/submit").toURL().openConnection();
    post.setInstanceFollowRedirects(false);
    post.setDoOutput(true);
    post.setRequestMethod("POST");
    post.setRequestProperty("Cookie", cookie);
    post.setRequestProperty("Content-Type", "multipart/form-data; boundary=" + boundary);
    post.setFixedLengthStreamingMode(head.length + SIZE + tail.length);
    MessageDigest expected = MessageDigest.getInstance("SHA-256");
    try (OutputStream out = post.getOutputStream()) {
      out.write(head);
      byte[] block = new byte[1 << 20];
      new Random(3).nextBytes(block);
      for (long sent = 0, i = 0; sent < SIZE; sent += block.length, i++) {
        block[0] = (byte) i;
        block[1] = (byte) (i >> 8);
        out.write(block);
        expected.update(block);
      }
      out.write(tail);
    }

    // Then it is stored, and gpg opens it to the same bytes
    assertThat(post.getResponseCode()).as(Files.readString(log)).isEqualTo(303);
    Path stored;
    try (Stream<Path> files = Files.walk(data.resolve("store"))) {
      stored = files.filter(p -> p.toString().endsWith("-doc.gz.gpg")).findFirst().orElseThrow();
    }
    assertThat(Files.size(stored)).isGreaterThan(SIZE);
    String digest =
        run(List.of(
                "bash",
                "-c",
                "gpg --batch --quiet --decrypt '" + stored + "' | gunzip | sha256sum"))
            .split(" ")[0];
    assertThat(digest).isEqualTo(HexFormat.of().formatHex(expected.digest()));
    assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError");
  }

  private Path makeKey() throws Exception {
    Path home = work.resolve("gnupg");
    Files.createDirectories(home);
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
    run(
        List.of(
            "gpg",
            "--batch",
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            "",
            "--quick-gen-key",
            "IT <it@example.invalid>",
            "ed25519",
            "cert",
            "never"));
    String fpr = null;
    for (String line :
        run(List.of("gpg", "--with-colons", "--list-keys", "it@example.invalid")).split("\n")) {
      if (line.startsWith("fpr:")) {
        fpr = line.split(":")[9];
        break;
      }
    }
    run(
        List.of(
            "gpg",
            "--batch",
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            "",
            "--quick-add-key",
            fpr,
            "cv25519",
            "encr",
            "never"));
    Path key = work.resolve("submission.asc");
    Files.writeString(key, run(List.of("gpg", "--armor", "--export", fpr)));
    return key;
  }

  private String run(List<String> command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("GNUPGHOME", work.resolve("gnupg").toString());
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  static void awaitUp(String base, Path log) throws Exception {
    awaitUp(base, log, START_TIMEOUT);
  }

  static void awaitUp(String base, Path log, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      try {
        HttpURLConnection c = (HttpURLConnection) new URL(base + "/").openConnection();
        if (c.getResponseCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("the app did not start:\n" + Files.readString(log));
      }
      Thread.sleep(200);
    }
  }

  static String[] get(String url, String cookie) throws IOException {
    HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
    c.setInstanceFollowRedirects(false);
    if (cookie != null) {
      c.setRequestProperty("Cookie", cookie);
    }
    String body = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String setCookie = c.getHeaderField("Set-Cookie");
    return new String[] {body, setCookie};
  }

  static String csrf(String[] page) {
    Matcher m = Pattern.compile("name=\"csrf_token\" value=\"([^\"]+)\"").matcher(page[0]);
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  static String sourceCookie(String base) throws IOException {
    String[] generate = get(base + "/generate", null);
    String cookie = generate[1].split(";")[0];
    HttpURLConnection c = (HttpURLConnection) new URL(base + "/create").openConnection();
    c.setInstanceFollowRedirects(false);
    c.setDoOutput(true);
    c.setRequestMethod("POST");
    c.setRequestProperty("Cookie", cookie);
    c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
    c.getOutputStream().write(("csrf_token=" + csrf(generate)).getBytes(StandardCharsets.US_ASCII));
    assertThat(c.getResponseCode()).isEqualTo(303);
    // Creating the source gives the session a new id (session fixation): the new cookie counts.
    return c.getHeaderField("Set-Cookie").split(";")[0];
  }
}
