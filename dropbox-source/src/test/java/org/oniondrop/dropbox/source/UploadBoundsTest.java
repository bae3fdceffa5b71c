package org.oniondrop.dropbox.source;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.oniondrop.crypto.words.Codename;
import org.oniondrop.dropbox.core.persistence.Source;
import org.oniondrop.dropbox.core.service.SourceService;
import org.oniondrop.dropbox.core.service.SubmissionKeys;
import org.oniondrop.dropbox.core.service.SubmissionService;
import org.oniondrop.dropbox.core.store.EncryptedStore;
import org.oniondrop.dropbox.core.testing.EntityRows;
import org.oniondrop.dropbox.core.testing.GpgKeyResource;
import org.oniondrop.dropbox.core.upload.EncryptingItem;

/**
 * Several files in one form (issue 19), one form one transaction (issue 14) and the upload bounds
 * (issue 15), each attacked through the real listener: small limits (4 MiB per file, 6 MiB per
 * submission, 5 files, 1 KiB/s over 2 s) keep the attacks cheap.
 */
@QuarkusTest
@TestProfile(UploadBoundsTest.SmallLimits.class)
@QuarkusTestResource(value = GpgKeyResource.class, restrictToAnnotatedClass = true)
class UploadBoundsTest {

  static final int MAX_FILE = 4 << 20;
  static final int MAX_SUBMISSION = 6 << 20;

  /** Small limits for this class only. */
  public static class SmallLimits implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "oniondrop.limits.max-upload-bytes", Integer.toString(MAX_FILE),
          "oniondrop.limits.max-submission-bytes", Integer.toString(MAX_SUBMISSION),
          "oniondrop.limits.max-files-per-submission", "5",
          "oniondrop.limits.upload-rate-window", "PT2S",
          "oniondrop.limits.min-upload-bytes-per-second", "1024");
    }
  }

  @TestHTTPResource("/")
  URL base;

  @Inject SourceService sources;
  @Inject SubmissionService submissions;
  @Inject SubmissionKeys submissionKeys;
  @Inject EncryptedStore store;
  @Inject org.oniondrop.dropbox.core.upload.UploadPipeline pipeline;
  @Inject jakarta.persistence.EntityManager em;

  /** A logged-in source on its lookup page; returns the browser and its source id. */
  private SourceFlowTest.Browser newSource(String[] idOut) {
    SourceFlowTest.Browser b = new SourceFlowTest.Browser();
    String codename = Jsoup.parse(b.get("/generate").asString()).selectFirst("#codename").text();
    assertThat(b.post("/create", "csrf_token", b.csrf).statusCode()).isEqualTo(303);
    b.get("/lookup");
    idOut[0] = sources.derive(Codename.parse(codename)).sourceId();
    return b;
  }

  private List<String> storeFiles(String sourceId) throws IOException {
    Path dir = store.root().resolve(sourceId);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Waits (bounded) until the store holds no file at all for the source, then checks no row. */
  private void assertNothingStored(String sourceId) throws Exception {
    Instant deadline = Instant.now().plusSeconds(30);
    while (!storeFiles(sourceId).isEmpty() && Instant.now().isBefore(deadline)) {
      Thread.sleep(50);
    }
    assertThat(storeFiles(sourceId)).isEmpty();
    Source s = EntityRows.sourceById(sourceId).orElseThrow();
    assertThat(s.interactionCount).isZero();
    assertThat(s.pending).isTrue();
    assertThat(rows(sourceId)).isZero();
  }

  private long rows(String sourceId) {
    return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
        .call(
            () ->
                em.createQuery(
                        "select count(s) from Submission s where s.source.filesystemId = :id",
                        Long.class)
                    .setParameter("id", sourceId)
                    .getSingleResult());
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void threeFilesAndAMessageAreFourItemsStoredTogetherAndListed() throws Exception {
    String[] id = new String[1];
    SourceFlowTest.Browser b = newSource(id);
    byte[][] files = {random(1 << 20, 1), random(300_000, 2), "plain text\n".getBytes()};
    String[] names = {"one.pdf", "zwei (2).jpg", "notes.txt"};

    // When one form sends a message and three files
    var spec =
        given()
            .redirects()
            .follow(false)
            .cookies(b.cookies)
            .multiPart("csrf_token", b.csrf)
            .multiPart("message", "three files follow");
    for (int i = 0; i < 3; i++) {
      spec.multiPart("file", names[i], files[i], "application/octet-stream");
    }
    Response sent = spec.post("/submit");

    // Then all four are stored, in form order, each its own row and file
    assertThat(sent.statusCode()).isEqualTo(303);
    Document received = Jsoup.parse(b.get("/received").asString());
    assertThat(received.select(".received li").eachText())
        .containsExactly(
            "Your message (18 characters)",
            "one.pdf (1.0 MB)",
            "zwei (2).jpg (293.0 KB)",
            "notes.txt (11 B)");
    assertThat(received.select("form[action=/logout]")).hasSize(1);
    Source source = EntityRows.sourceById(id[0]).orElseThrow();
    assertThat(source.interactionCount).isEqualTo(4);
    assertThat(rows(id[0])).isEqualTo(4);
    String j = source.designation.replace(' ', '_');
    assertThat(storeFiles(id[0]))
        .containsExactly(
            "1-" + j + "-msg.gpg",
            "2-" + j + "-doc.gz.gpg",
            "3-" + j + "-doc.gz.gpg",
            "4-" + j + "-doc.gz.gpg");

    // And real gpg opens each item to the bytes sent
    Path dir = store.root().resolve(id[0]);
    assertThat(
            new String(
                GpgKeyResource.gpgBytes(dir.resolve("1-" + j + "-msg.gpg"), "--decrypt"),
                StandardCharsets.UTF_8))
        .isEqualTo("three files follow");
    for (int i = 0; i < 3; i++) {
      byte[] gz =
          GpgKeyResource.gpgBytes(dir.resolve((i + 2) + "-" + j + "-doc.gz.gpg"), "--decrypt");
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
        assertThat(in.readAllBytes()).as(names[i]).isEqualTo(files[i]);
      }
    }
  }

  @Test
  void aFormWhoseSecondFileIsTooLargeStoresNothing() throws Exception {
    String[] id = new String[1];
    SourceFlowTest.Browser b = newSource(id);
    Response r =
        given()
            .redirects()
            .follow(false)
            .cookies(b.cookies)
            .multiPart("csrf_token", b.csrf)
            .multiPart("message", "a message that must not be stored alone")
            .multiPart("file", "small.bin", random(1 << 20, 3), "application/octet-stream")
            .multiPart("file", "big.bin", random(MAX_FILE + 1, 4), "application/octet-stream")
            .post("/submit");
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.asString()).contains("This file is too large. The limit is 4 MB.");
    assertNothingStored(id[0]);
  }

  @Test
  void filesAndMessageTogetherCountTowardsTheSubmissionLimit() throws Exception {
    String[] id = new String[1];
    SourceFlowTest.Browser b = newSource(id);
    Response r =
        given()
            .redirects()
            .follow(false)
            .cookies(b.cookies)
            .multiPart("csrf_token", b.csrf)
            .multiPart("message", "x".repeat(50_000))
            .multiPart("file", "a.bin", random(MAX_FILE - 1000, 5), "application/octet-stream")
            .multiPart(
                "file", "b.bin", random(MAX_SUBMISSION - MAX_FILE, 6), "application/octet-stream")
            .post("/submit");
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.asString()).contains("The whole submission is too large");
    assertNothingStored(id[0]);
  }

  @Test
  void aFormCutOffInItsSecondFileStoresNothing() throws Exception {
    String[] id = new String[1];
    SourceFlowTest.Browser b = newSource(id);
    String boundary = "cutoff";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(csrfPart(boundary, b.csrf));
    body.writeBytes(textPart(boundary, "message", "stored only with its files"));
    body.writeBytes(fileHead(boundary, "first.bin"));
    body.writeBytes(random(200_000, 7));
    body.writeBytes("\r\n".getBytes());
    body.writeBytes(fileHead(boundary, "second.bin"));
    body.writeBytes(random(500_000, 8));
    try (Socket s = post(b.cookies.getValue("od_source"), boundary, 3_000_000L, null)) {
      s.getOutputStream().write(body.toByteArray());
      s.getOutputStream().flush();
    }
    assertNothingStored(id[0]);
  }

  @Test
  void aFailedCommitOfTheSecondItemLeavesNoRowAndNoFile() throws Exception {
    String[] id = new String[1];
    newSource(id);
    // Given two sealed items of one form, the second of which cannot be made durable
    SubmissionService.Sealed message =
        EncryptingItem.message(store, submissionKeys.current(), id[0], "first");
    EncryptingItem doc =
        EncryptingItem.document(store, submissionKeys.current(), id[0], "second.pdf");
    doc.write(random(100_000, 9));
    SubmissionService.Sealed broken = doc.seal();
    broken.write().abort(); // its temporary file is gone: fsync and rename fail
    // When the form is stored
    assertThatThrownBy(() -> submissions.storeSubmission(id[0], List.of(message, broken)))
        .isInstanceOf(IOException.class);
    // Then the first item, already renamed inside the transaction, is gone again, and no row
    assertNothingStored(id[0]);
  }

  @Test
  void oneClientCannotHoldMoreThanTwoUploadSlots() throws Exception {
    String[] id = new String[1];
    SourceFlowTest.Browser flooder = newSource(id);
    String cookie = flooder.cookies.getValue("od_source");
    String boundary = "hold";
    // Given two uploads of one client held open (headers and CSRF sent, the file trickling)
    try (Socket first = post(cookie, boundary, 1_000_000L, null);
        Socket second = post(cookie, boundary, 1_000_000L, null)) {
      for (Socket s : List.of(first, second)) {
        s.getOutputStream().write(csrfPart(boundary, flooder.csrf));
        s.getOutputStream().write(fileHead(boundary, "held.bin"));
        s.getOutputStream().write(new byte[4096]);
        s.getOutputStream().flush();
      }
      Instant started = Instant.now().plusSeconds(10);
      while (pipeline.running() < 2 && Instant.now().isBefore(started)) {
        Thread.sleep(10); // until both are received (bounded)
      }
      assertThat(pipeline.running()).isEqualTo(2);
      // When the same client opens a third, it is refused at once with 429, before its body
      try (Socket third = post(cookie, boundary, 1_000_000L, null)) {
        String answer = readAll(third);
        assertThat(answer).startsWith("HTTP/1.1 429");
      }
      // while another source's upload is received and stored
      String[] other = new String[1];
      SourceFlowTest.Browser honest = newSource(other);
      byte[] body = form(boundary, honest.csrf, "note.txt", random(2048, 7));
      assertThat(statusLine(honest.cookies.getValue("od_source"), boundary, body))
          .startsWith("HTTP/1.1 303");
    }
    // Then once the held uploads are gone, the client may upload again
    Instant deadline = Instant.now().plusSeconds(20);
    String again = "";
    while (Instant.now().isBefore(deadline)) {
      again = statusLine(cookie, boundary, form(boundary, flooder.csrf, "n.txt", random(1024, 8)));
      if (!again.startsWith("HTTP/1.1 429")) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(again).startsWith("HTTP/1.1 303");
  }

  @Test
  void aSlowLorisUploadIsCutOffWithAClearPage() throws Exception {
    String[] id = new String[1];
    SourceFlowTest.Browser b = newSource(id);
    String boundary = "slow";
    try (Socket s = post(b.cookies.getValue("od_source"), boundary, 1_000_000L, null)) {
      OutputStream out = s.getOutputStream();
      out.write(csrfPart(boundary, b.csrf));
      out.write(fileHead(boundary, "slow.bin"));
      out.flush();
      // 10 bytes a second, far under 1 KiB/s
      s.setSoTimeout(200);
      String answer = "";
      Instant deadline = Instant.now().plusSeconds(20);
      while (answer.isEmpty() && Instant.now().isBefore(deadline)) {
        try {
          out.write(new byte[10]);
          out.flush();
        } catch (IOException closed) {
          // the server closed after answering
        }
        answer = readSome(s);
      }
      assertThat(answer).startsWith("HTTP/1.1 408").contains("The upload was too slow");
    }
    assertNothingStored(id[0]);
  }

  @Test
  void aChunkedBodyThatNeverEndsIsCutOffAtTheFormBound() throws Exception {
    String[] id = new String[1];
    SourceFlowTest.Browser b = newSource(id);
    String boundary = "endless";
    try (Socket s = post(b.cookies.getValue("od_source"), boundary, -1, null)) {
      OutputStream out = s.getOutputStream();
      chunk(out, csrfPart(boundary, b.csrf));
      // A part with a file name under a name we ignore: counted all the same.
      chunk(
          out,
          ("--"
                  + boundary
                  + "\r\nContent-Disposition: form-data; name=\"other\"; filename=\"x\"\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      byte[] data = new byte[64 * 1024];
      long sent = 0;
      try {
        for (int i = 0; i < 2000; i++) { // 128 MiB at most: far beyond any bound here
          chunk(out, data);
          sent += data.length;
        }
      } catch (IOException closed) {
        // expected: the server answers and closes
      }
      assertThat(sent).isLessThan(64L << 20);
      String answer = readAll(s);
      assertThat(answer).matches("(?s)HTTP/1.1 (400|413) .*");
    }
    assertNothingStored(id[0]);
  }

  @Test
  void aFormOfAThousandTinyPartsIsRefused() throws Exception {
    String[] id = new String[1];
    SourceFlowTest.Browser b = newSource(id);
    String boundary = "tiny";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(csrfPart(boundary, b.csrf));
    for (int i = 0; i < 1000; i++) {
      body.writeBytes(fileHead(boundary, "f" + i));
      body.writeBytes("x\r\n".getBytes());
    }
    body.writeBytes(("--" + boundary + "--\r\n").getBytes());
    String answer = send(b.cookies.getValue("od_source"), boundary, body.toByteArray());
    assertThat(answer)
        .startsWith("HTTP/1.1 413")
        .contains("Too many files at once: the limit is 5.");
    assertNothingStored(id[0]);
  }

  @Test
  void hugePartHeadersAreRefused() throws Exception {
    String[] id = new String[1];
    SourceFlowTest.Browser b = newSource(id);
    String boundary = "hdr";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(csrfPart(boundary, b.csrf));
    body.writeBytes(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + "a".repeat(1_000_000)
                + "\"\r\n\r\nx\r\n--"
                + boundary
                + "--\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    String answer = send(b.cookies.getValue("od_source"), boundary, body.toByteArray());
    assertThat(answer).startsWith("HTTP/1.1 400").contains("The request was not understood.");
    assertNothingStored(id[0]);
  }

  @Test
  void theCsrfTokenMustComeFirstAndNothingIsEncryptedBeforeIt() throws Exception {
    String[] id = new String[1];
    SourceFlowTest.Browser b = newSource(id);
    String boundary = "late";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(fileHead(boundary, "early.bin"));
    body.writeBytes(random(100_000, 10));
    body.writeBytes("\r\n".getBytes());
    body.writeBytes(csrfPart(boundary, b.csrf));
    body.writeBytes(("--" + boundary + "--\r\n").getBytes());
    String answer = send(b.cookies.getValue("od_source"), boundary, body.toByteArray());
    assertThat(answer).startsWith("HTTP/1.1 400").contains("This form has expired");
    assertNothingStored(id[0]);
  }

  @Test
  void aClientThatAsksBeforeItsBodyIsToldToContinueAndItsUploadIsStored() throws Exception {
    String[] id = new String[1];
    SourceFlowTest.Browser b = newSource(id);
    String boundary = "asks";
    byte[] data = random(2_000_000, 12);
    byte[] body = form(boundary, b.csrf, "asked.bin", data);
    try (Socket s =
        post(
            b.cookies.getValue("od_source"), boundary, body.length, null, "Expect: 100-continue")) {
      // No body byte is sent before the interim answer: without it this read times out.
      assertThat(line(s.getInputStream())).isEqualTo("HTTP/1.1 100 Continue");
      assertThat(line(s.getInputStream())).isEmpty();
      s.getOutputStream().write(body);
      s.getOutputStream().flush();
      assertThat(line(s.getInputStream())).isEqualTo("HTTP/1.1 303 See Other");
    }
    assertThat(rows(id[0])).isEqualTo(1);
  }

  @Test
  void aClientThatAsksFirstIsRefusedBeforeItsBodyWithoutAContinue() throws Exception {
    String[] id = new String[1];
    SourceFlowTest.Browser b = newSource(id);
    try (Socket s =
        post(
            b.cookies.getValue("od_source"),
            "toolarge",
            MAX_SUBMISSION * 2L,
            null,
            "Expect: 100-continue")) {
      String answer = readAll(s);
      assertThat(answer).startsWith("HTTP/1.1 413").doesNotContain("100 Continue");
      // The server closed the connection: the body is never read.
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
    // A request without a session is refused the same way.
    try (Socket s = post("no-such-session", "nosession", 1000, null, "Expect: 100-continue")) {
      assertThat(readAll(s)).startsWith("HTTP/1.1 401").doesNotContain("100 Continue");
    }
    assertNothingStored(id[0]);
  }

  // --- raw HTTP helpers ---

  /** One CRLF-terminated line of the answer, without its CRLF. */
  private static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0 && c != '\n' && line.length() < 200) {
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  private static byte[] csrfPart(String boundary, String csrf) {
    return textPart(boundary, "csrf_token", csrf);
  }

  private static byte[] textPart(String boundary, String name, String value) {
    return ("--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\""
            + name
            + "\"\r\n\r\n"
            + value
            + "\r\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** A whole form: CSRF token, one file, the closing boundary. */
  private static byte[] form(String boundary, String csrf, String name, byte[] data) {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    b.writeBytes(csrfPart(boundary, csrf));
    b.writeBytes(fileHead(boundary, name));
    b.writeBytes(data);
    b.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return b.toByteArray();
  }

  private static byte[] fileHead(String boundary, String name) {
    return ("--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
            + name
            + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Opens a POST /submit; {@code length} < 0 means chunked. */
  private Socket post(String cookie, String boundary, long length, byte[] body) throws IOException {
    return post(cookie, boundary, length, body, null);
  }

  private Socket post(String cookie, String boundary, long length, byte[] body, String header)
      throws IOException {
    Socket s = new Socket(base.getHost(), base.getPort());
    s.setSoTimeout(30_000);
    OutputStream out = s.getOutputStream();
    out.write(
        ("POST /submit HTTP/1.1\r\nHost: localhost\r\nCookie: od_source="
                + cookie
                + "\r\nContent-Type: multipart/form-data; boundary="
                + boundary
                + (length < 0 ? "\r\nTransfer-Encoding: chunked" : "\r\nContent-Length: " + length)
                + (header == null ? "" : "\r\n" + header)
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    if (body != null) {
      out.write(body);
    }
    out.flush();
    return s;
  }

  private String send(String cookie, String boundary, byte[] body) throws IOException {
    try (Socket s = post(cookie, boundary, body.length, null)) {
      try {
        s.getOutputStream().write(body);
        s.getOutputStream().flush();
      } catch (IOException closed) {
        // the server may answer and close before reading everything
      }
      return readAll(s);
    }
  }

  /** Sends a whole form and reads the answer's status line only (a 303 has no page to wait for). */
  private String statusLine(String cookie, String boundary, byte[] body) throws IOException {
    try (Socket s = post(cookie, boundary, body.length, body)) {
      InputStream in = s.getInputStream();
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) >= 0 && c != '\n' && line.length() < 200) {
        line.append((char) c);
      }
      return line.toString();
    }
  }

  private static void chunk(OutputStream out, byte[] data) throws IOException {
    out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(data);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  private static String readSome(Socket s) throws IOException {
    try {
      return readAll(s);
    } catch (java.net.SocketTimeoutException e) {
      return "";
    }
  }

  private static String readAll(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    byte[] buf = new byte[8192];
    StringBuilder response = new StringBuilder();
    int n;
    try {
      while ((n = in.read(buf)) > 0) {
        response.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        if (response.indexOf("</html>") >= 0 || response.length() > 100_000) {
          break;
        }
      }
    } catch (java.net.SocketException reset) {
      // a reset after the answer
    }
    return response.toString();
  }
}
