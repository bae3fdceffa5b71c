package org.oniondrop.dropbox.core.upload;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Coverage-guided fuzzing of the streaming multipart parser (every byte of {@code POST /submit}
 * reaches it), fed in random chunkings as the network delivers it.
 *
 * <p>Oracles, beyond "only {@link UploadRejectedException} may escape":
 *
 * <ul>
 *   <li>Chunking never changes the result: the body fed whole and fed in pieces (sizes drawn from
 *       the input) is accepted or refused alike, and an accepted body gives the same parts (name,
 *       filename, type) with the same bytes.
 *   <li>The handler sees well-formed events (start, data..., end), at most {@code maxParts} parts,
 *       and never more data bytes than were fed.
 *   <li>{@link MultipartParser#boundaryOf} returns null or a boundary the parser accepts.
 * </ul>
 *
 * <p>Input layout: byte 0 picks the boundary and the limits, bytes 1-2 seed the chunking, the rest
 * is the body. The suite replays the committed corpus ({@code MultipartParserFuzzTestInputs/});
 * {@code tools/fuzz-all.sh N dropbox-core} fuzzes it for N inputs.
 */
class MultipartParserFuzzTest {

  static final String[] BOUNDARIES = {"b", "----WebKitFormBoundaryx7", "x-y_z.0", "'()+_,-./:=?"};

  static final MultipartParser.Limits[] LIMITS = {
    new MultipartParser.Limits(4, 256, 4096),
    new MultipartParser.Limits(16, 1024, 1 << 16),
    new MultipartParser.Limits(1, 64, 512),
    new MultipartParser.Limits(64, 8192, 1 << 20)
  };

  /** What a parse produced: accepted or not, and the parts with their bytes. */
  record Outcome(boolean accepted, List<String> parts, List<byte[]> bodies) {
    boolean sameAs(Outcome o) {
      if (accepted != o.accepted) {
        return false;
      }
      if (!accepted) {
        return true; // the reason may differ (e.g. the size bound is checked per chunk)
      }
      if (!parts.equals(o.parts) || bodies.size() != o.bodies.size()) {
        return false;
      }
      for (int i = 0; i < bodies.size(); i++) {
        if (!Arrays.equals(bodies.get(i), o.bodies.get(i))) {
          return false;
        }
      }
      return true;
    }
  }

  /** Checks the event order and bounds as they happen. */
  static final class Checker implements MultipartParser.Handler {
    final MultipartParser.Limits limits;
    final List<String> parts = new ArrayList<>();
    final List<ByteArrayOutputStream> bodies = new ArrayList<>();
    boolean inPart;
    long data;

    Checker(MultipartParser.Limits limits) {
      this.limits = limits;
    }

    @Override
    public void partStart(MultipartParser.Part part) {
      check(!inPart, "a part started inside a part");
      check(part != null && part.name() != null, "a part without a name");
      inPart = true;
      parts.add(part.name() + "|" + part.filename() + "|" + part.contentType());
      check(parts.size() <= limits.maxParts(), "more parts than the bound");
      bodies.add(new ByteArrayOutputStream());
    }

    @Override
    public void partData(byte[] b, int off, int len) {
      check(inPart, "data outside a part");
      Objects.checkFromIndexSize(off, len, b.length);
      check(len >= 0, "negative data");
      data += len;
      bodies.get(bodies.size() - 1).write(b, off, len);
    }

    @Override
    public void partEnd() {
      check(inPart, "an end outside a part");
      inPart = false;
    }
  }

  static void check(boolean condition, String what) {
    if (!condition) {
      throw new AssertionError(what);
    }
  }

  static Outcome parse(String boundary, MultipartParser.Limits limits, byte[] body, int[] cuts) {
    Checker checker = new Checker(limits);
    MultipartParser parser = new MultipartParser(boundary, limits, checker);
    boolean accepted;
    try {
      int at = 0;
      for (int cut : cuts) {
        parser.feed(body, at, cut);
        at += cut;
      }
      parser.finish();
      accepted = true;
      check(parser.complete(), "accepted without the closing delimiter");
      check(!checker.inPart, "accepted inside a part");
    } catch (UploadRejectedException refused) {
      accepted = false;
    }
    check(checker.data <= body.length, "more data handed on than fed");
    check(parser.bytesFed() <= body.length, "more bytes counted than fed");
    return new Outcome(
        accepted,
        checker.parts,
        checker.bodies.stream().map(ByteArrayOutputStream::toByteArray).toList());
  }

  /** Chunk sizes summing to {@code length}, drawn from {@code seed}: 1 byte up to 4 KiB. */
  static int[] cuts(int length, int seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Integer> sizes = new ArrayList<>();
    int left = length;
    while (left > 0) {
      int bound =
          switch (random.nextInt(4)) {
            case 0 -> 1;
            case 1 -> 8;
            case 2 -> 128;
            default -> 4096;
          };
      int n = Math.min(left, 1 + random.nextInt(bound));
      sizes.add(n);
      left -= n;
    }
    return sizes.stream().mapToInt(Integer::intValue).toArray();
  }

  @FuzzTest(maxDuration = "4h")
  void chunked(byte[] input) {
    if (input.length < 3) {
      return;
    }
    String boundary = BOUNDARIES[(input[0] & 0xff) % BOUNDARIES.length];
    MultipartParser.Limits limits = LIMITS[((input[0] & 0xff) >> 2) % LIMITS.length];
    int seed = ((input[1] & 0xff) << 8) | (input[2] & 0xff);
    byte[] body = Arrays.copyOfRange(input, 3, input.length);
    Outcome whole =
        parse(boundary, limits, body, body.length == 0 ? new int[0] : new int[] {body.length});
    Outcome split = parse(boundary, limits, body, cuts(body.length, seed));
    check(whole.sameAs(split), "chunking changed the result: " + whole + " vs " + split);
  }

  @FuzzTest(maxDuration = "4h")
  void contentType(byte[] input) {
    String type = new String(input, StandardCharsets.UTF_8);
    String boundary = MultipartParser.boundaryOf(type);
    if (boundary != null) {
      // must not throw IllegalArgumentException: what boundaryOf returns, the parser takes
      new MultipartParser(boundary, LIMITS[0], new Checker(LIMITS[0]));
    }
  }
}
