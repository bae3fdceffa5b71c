package org.oniondrop.dropbox.core.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.oniondrop.dropbox.core.upload.UploadRejectedException.Reason;

/** The streaming multipart parser from bytes, with no network: shapes, splits and every bound. */
class MultipartParserTest {

  private static final MultipartParser.Limits ROOMY =
      new MultipartParser.Limits(10, 1024, 10L << 20);

  /** Records the events as "start name filename", data and "end". */
  static final class Recorder implements MultipartParser.Handler {
    final List<String> events = new ArrayList<>();
    final List<ByteArrayOutputStream> bodies = new ArrayList<>();

    @Override
    public void partStart(MultipartParser.Part part) {
      events.add("start " + part.name() + " " + part.filename());
      bodies.add(new ByteArrayOutputStream());
    }

    @Override
    public void partData(byte[] b, int off, int len) {
      bodies.get(bodies.size() - 1).write(b, off, len);
    }

    @Override
    public void partEnd() {
      events.add("end");
    }
  }

  private static byte[] form(String boundary, byte[] file) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\ntok\r\n--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\".pdf\""
                + "\r\nContent-Type: application/pdf\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    out.writeBytes(file);
    out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  @Test
  void parsesAFormFedInEverySplitIncludingOneByteAtATime() throws Exception {
    // Given a file full of delimiter look-alikes
    String boundary = "----WebKitFormBoundaryx7";
    byte[] file =
        ("\r\n--\r\n------WebKitFormBoundaryx\r\n--" + boundary.substring(0, 10) + "\r\r\n\r")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] body = form(boundary, file);
    for (int split : new int[] {1, 2, 3, 7, 64, body.length}) {
      // When it is fed in slices of `split` bytes
      Recorder r = new Recorder();
      MultipartParser p = new MultipartParser(boundary, ROOMY, r);
      for (int i = 0; i < body.length; i += split) {
        p.feed(body, i, Math.min(split, body.length - i));
      }
      p.finish();
      // Then the parts come out exactly
      assertThat(r.events)
          .as("split " + split)
          .containsExactly("start csrf_token null", "end", "start file a \"b\".pdf", "end");
      assertThat(r.bodies.get(0).toString(StandardCharsets.UTF_8)).isEqualTo("tok");
      assertThat(r.bodies.get(1).toByteArray()).as("split " + split).isEqualTo(file);
      assertThat(p.complete()).isTrue();
    }
  }

  @Test
  void randomBinaryFilesSurviveRandomSplits() throws Exception {
    Random random = new Random(7);
    for (int round = 0; round < 50; round++) {
      byte[] file = new byte[random.nextInt(70_000)];
      random.nextBytes(file);
      // sprinkle CR LF and dashes so the delimiter search is exercised
      for (int i = 0; i + 4 < file.length; i += 1 + random.nextInt(300)) {
        file[i] = '\r';
        file[i + 1] = '\n';
        file[i + 2] = '-';
        file[i + 3] = '-';
      }
      byte[] body = form("XyZ", file);
      Recorder r = new Recorder();
      MultipartParser p = new MultipartParser("XyZ", ROOMY, r);
      int i = 0;
      while (i < body.length) {
        int n = Math.min(body.length - i, 1 + random.nextInt(9000));
        p.feed(body, i, n);
        i += n;
      }
      p.finish();
      assertThat(r.bodies.get(1).toByteArray()).isEqualTo(file);
    }
  }

  @Test
  void aBodyThatNeverEndsIsCutOffAtTheFormBound() throws Exception {
    // Given a part that never closes (a chunked body that runs forever)
    MultipartParser p =
        new MultipartParser("X", new MultipartParser.Limits(10, 1024, 1 << 20), new Recorder());
    byte[] head =
        "--X\r\nContent-Disposition: form-data; name=\"junk\"; filename=\"j\"\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    p.feed(head, 0, head.length);
    byte[] chunk = new byte[64 * 1024];
    // Then the bound stops it after at most 1 MiB, with the exact reason
    assertThatThrownBy(
            () -> {
              for (int i = 0; i < 100; i++) {
                p.feed(chunk, 0, chunk.length);
              }
            })
        .isInstanceOf(UploadRejectedException.class)
        .extracting(e -> ((UploadRejectedException) e).reason())
        .isEqualTo(Reason.FORM_TOO_LARGE);
    assertThat(p.bytesFed()).isLessThanOrEqualTo((1 << 20) + chunk.length);
  }

  @Test
  void aThousandTinyPartsStopAtThePartBound() throws Exception {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      body.append("--X\r\nContent-Disposition: form-data; name=\"f")
          .append(i)
          .append("\"\r\n\r\nx\r\n");
    }
    body.append("--X--\r\n");
    Recorder r = new Recorder();
    MultipartParser p = new MultipartParser("X", ROOMY, r);
    byte[] b = body.toString().getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> p.feed(b, 0, b.length))
        .extracting(e -> ((UploadRejectedException) e).reason())
        .isEqualTo(Reason.TOO_MANY_PARTS);
    assertThat(p.parts()).isEqualTo(11);
    assertThat(r.events).hasSize(20);
  }

  @Test
  void hugeHeadersStopAtTheHeaderBound() throws Exception {
    MultipartParser p = new MultipartParser("X", ROOMY, new Recorder());
    byte[] start = "--X\r\nContent-Disposition: form-data; name=\"".getBytes();
    p.feed(start, 0, start.length);
    byte[] a = new byte[4096];
    java.util.Arrays.fill(a, (byte) 'a');
    assertThatThrownBy(() -> p.feed(a, 0, a.length))
        .extracting(e -> ((UploadRejectedException) e).reason())
        .isEqualTo(Reason.HEADERS_TOO_LARGE);
  }

  @Test
  void malformedBodiesGetMalformed() {
    for (String body :
        List.of(
            "--X\r\nContent-Disposition: form-data; name=\"m\"\r\n\r\nhi\r\n--X", // truncated
            "--X\r\nContent-Type: text/plain\r\n\r\nhi\r\n--X--", // no disposition
            "--X\r\nContent-Disposition: attachment; name=\"m\"\r\n\r\nhi\r\n--X--",
            "--X\r\nContent-Disposition: form-data; name=\"m\r\n\r\nhi\r\n--X--", // open quote
            "--X\r\n Content-Disposition: form-data; name=m\r\n\r\nhi\r\n--X--", // folding
            "--Xjunk\r\n\r\n--X--",
            "x".repeat(2000) + "\r\n--X--")) { // preamble beyond its bound
      Recorder r = new Recorder();
      MultipartParser p = new MultipartParser("X", ROOMY, r);
      byte[] b = body.getBytes(StandardCharsets.US_ASCII);
      assertThatThrownBy(
              () -> {
                p.feed(b, 0, b.length);
                p.finish();
              })
          .as(body)
          .extracting(e -> ((UploadRejectedException) e).reason())
          .isEqualTo(Reason.MALFORMED);
    }
  }

  @Test
  void boundariesAreTakenOnlyFromMultipartFormData() {
    assertThat(MultipartParser.boundaryOf("multipart/form-data; boundary=abc")).isEqualTo("abc");
    assertThat(MultipartParser.boundaryOf("Multipart/Form-Data;boundary=\"a b\"")).isEqualTo("a b");
    assertThat(MultipartParser.boundaryOf("multipart/mixed; boundary=abc")).isNull();
    assertThat(MultipartParser.boundaryOf("multipart/form-data")).isNull();
    assertThat(MultipartParser.boundaryOf("multipart/form-data; boundary=" + "a".repeat(71)))
        .isNull();
    assertThat(MultipartParser.boundaryOf("multipart/form-data; boundary=a\rb")).isNull();
    assertThat(MultipartParser.boundaryOf(null)).isNull();
    // Found by Jazzer (MultipartParserFuzzTest#contentType, corpus file crash-2d14ab97...): a type
    // made of separators only split into no pieces at all and threw instead of answering null
    for (String separatorsOnly : new String[] {";", ";;", ";;;", "", " ", " ;", "; boundary=abc"}) {
      assertThat(MultipartParser.boundaryOf(separatorsOnly)).as(separatorsOnly).isNull();
    }
  }

  /**
   * The word-at-a-time CR search agrees with a byte loop for every range and every placement of CRs
   * among look-alike bytes (0x0C, 0x0E, 0x8D, 0x00, 0xFF: the values a broken zero-byte trick would
   * confuse with CR).
   */
  @Test
  void crSearchAgreesWithAByteLoop() {
    byte[] lookAlikes = {0x0C, 0x0E, (byte) 0x8D, 0x00, (byte) 0xFF, 0x0D, 'a'};
    java.util.Random random = new java.util.Random(16);
    for (int round = 0; round < 20_000; round++) {
      byte[] b = new byte[random.nextInt(40)];
      for (int k = 0; k < b.length; k++) {
        b[k] = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : lookAlikes[random.nextInt(6)];
      }
      if (b.length > 0 && random.nextBoolean()) {
        b[random.nextInt(b.length)] = '\r';
      }
      int from = b.length == 0 ? 0 : random.nextInt(b.length + 1);
      int to = from + random.nextInt(b.length - from + 1);
      int expected = to;
      for (int k = from; k < to; k++) {
        if (b[k] == '\r') {
          expected = k;
          break;
        }
      }
      org.junit.jupiter.api.Assertions.assertEquals(
          expected,
          MultipartParser.indexOfCr(b, from, to),
          () -> java.util.Arrays.toString(b) + " from " + from + " to " + to);
    }
  }
}
