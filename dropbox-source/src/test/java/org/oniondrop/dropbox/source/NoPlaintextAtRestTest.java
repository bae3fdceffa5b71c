package org.oniondrop.dropbox.source;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.oniondrop.crypto.words.Codename;
import org.oniondrop.dropbox.core.persistence.Source;
import org.oniondrop.dropbox.core.service.SourceService;
import org.oniondrop.dropbox.core.store.EncryptedStore;
import org.oniondrop.dropbox.core.testing.EntityRows;
import org.oniondrop.dropbox.core.testing.GpgKeyResource;

/**
 * Design promises 1, 3, 6 and 7: after a message and a 200 MiB file carrying a unique marker, and
 * after an upload cut off half-way, the marker is nowhere under the data directory, the database
 * files or the JVM's temporary directory; the cut-off upload left no file and no row; and neither
 * the codename, the designation, the file name nor the message appear in the logs or cookies.
 */
@QuarkusTest
@QuarkusTestResource(value = GpgKeyResource.class, restrictToAnnotatedClass = true)
class NoPlaintextAtRestTest {

  private static final long SIZE = 200L * 1024 * 1024;

  @TestHTTPResource("/")
  URL base;

  @Inject SourceService sources;
  @Inject EncryptedStore store;

  @Test
  void theMarkerNeverReachesDiskAndNothingSecretIsLogged() throws Exception {
    Instant started = Instant.now().minusSeconds(2);
    String marker = "MARKER-" + Long.toHexString(new Random().nextLong()) + "-ONIONDROP";
    SourceFlowTest.Browser b = new SourceFlowTest.Browser();
    Response gen = b.get("/generate");
    String codename = Jsoup.parse(gen.asString()).selectFirst("#codename").text();
    b.post("/create", "csrf_token", b.csrf);
    b.get("/lookup");
    List<String> cookieValues = new ArrayList<>();
    b.cookies.asList().forEach(c -> cookieValues.add(c.getName() + "=" + c.getValue()));

    // A message and a 200 MiB file, both carrying the marker.
    String message = "Here is the proof: " + marker;
    assertThat(b.submit(message, null, null).statusCode()).isEqualTo(303);
    b.get("/lookup");
    Path big = GpgKeyResource.work.resolve("big-" + marker + ".bin");
    writeWithMarkers(big, SIZE, marker);
    Response upload =
        given()
            .redirects()
            .follow(false)
            .cookies(b.cookies)
            .multiPart("csrf_token", b.csrf)
            .multiPart("file", big.toFile(), "application/octet-stream")
            .post("/submit");
    assertThat(upload.statusCode()).isEqualTo(303);
    Files.delete(big);

    Source source =
        EntityRows.sourceById(sources.derive(Codename.parse(codename)).sourceId()).orElseThrow();
    int rowsBefore = source.interactionCount;
    assertThat(rowsBefore).isEqualTo(2);

    // An upload cut off half-way: the socket closes before the body ends.
    b.get("/lookup");
    cutOffUpload(b.cookies.getValue("od_source"), b.csrf, marker);
    awaitNoTemporaryFiles(source.filesystemId);
    Source after = EntityRows.sourceById(source.filesystemId).orElseThrow();
    assertThat(after.interactionCount).isEqualTo(rowsBefore);
    try (Stream<Path> files = Files.list(store.root().resolve(source.filesystemId))) {
      assertThat(files.count()).isEqualTo(2);
    }

    // The marker is nowhere on disk.
    byte[] needle = marker.getBytes(StandardCharsets.US_ASCII);
    List<Path> roots =
        List.of(GpgKeyResource.dataDir, Path.of(System.getProperty("java.io.tmpdir")));
    for (Path root : roots) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          if (root != GpgKeyResource.dataDir && !modifiedSince(f, started)) {
            continue;
          }
          assertThat(contains(f, needle)).as("marker found in %s", f).isFalse();
        }
      }
    }

    // Nothing identifying in logs or cookies.
    String log = Files.readString(Path.of("target/source-test.log"));
    for (String secret :
        List.of(codename, source.designation, marker, "big-", source.filesystemId)) {
      assertThat(log).as("log").doesNotContain(secret);
    }
    for (String word : codename.split(" ")) {
      assertThat(String.join(";", cookieValues)).doesNotContain(word);
    }
  }

  private static boolean modifiedSince(Path f, Instant t) {
    try {
      FileTime m = Files.getLastModifiedTime(f);
      return m.toInstant().isAfter(t);
    } catch (IOException e) {
      return false;
    }
  }

  static void writeWithMarkers(Path file, long size, String marker) throws IOException {
    Random random = new Random(7);
    byte[] chunk = new byte[1 << 20];
    byte[] m = marker.getBytes(StandardCharsets.US_ASCII);
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long written = 0; written < size; written += chunk.length) {
        random.nextBytes(chunk);
        System.arraycopy(m, 0, chunk, 1000, m.length);
        out.write(chunk);
      }
    }
  }

  private void cutOffUpload(String cookie, String csrf, String marker) throws IOException {
    String boundary = "----cutoff";
    StringBuilder head = new StringBuilder();
    head.append("--")
        .append(boundary)
        .append("\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n")
        .append(csrf)
        .append("\r\n");
    head.append("--")
        .append(boundary)
        .append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cut-")
        .append(marker)
        .append(".pdf\"\r\nContent-Type: application/octet-stream\r\n\r\n");
    long declared = 50L * 1024 * 1024;
    try (Socket s = new Socket(base.getHost(), base.getPort())) {
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST /submit HTTP/1.1\r\nHost: localhost\r\nCookie: od_source="
                  + cookie
                  + "\r\nContent-Type: multipart/form-data; boundary="
                  + boundary
                  + "\r\nContent-Length: "
                  + declared
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = new byte[1 << 20];
      byte[] m = marker.getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < 20; i++) {
        new Random(i).nextBytes(chunk);
        System.arraycopy(m, 0, chunk, 500, m.length);
        out.write(chunk);
      }
      out.flush();
    }
  }

  private void awaitNoTemporaryFiles(String sourceId) throws Exception {
    Path dir = store.root().resolve(sourceId);
    Instant deadline = Instant.now().plusSeconds(30);
    while (true) {
      try (Stream<Path> files = Files.list(dir)) {
        if (files.noneMatch(p -> p.getFileName().toString().endsWith(".part"))) {
          return;
        }
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("the cut-off upload's temporary file was not removed");
      }
      Thread.sleep(50);
    }
  }

  private static boolean contains(Path file, byte[] needle) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 20];
      byte[] carry = new byte[0];
      int n;
      while ((n = in.read(buf)) > 0) {
        byte[] window = new byte[carry.length + n];
        System.arraycopy(carry, 0, window, 0, carry.length);
        System.arraycopy(buf, 0, window, carry.length, n);
        if (indexOf(window, needle) >= 0) {
          return true;
        }
        int keep = Math.min(needle.length - 1, window.length);
        carry = java.util.Arrays.copyOfRange(window, window.length - keep, window.length);
      }
    }
    return false;
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
