package org.oniondrop.dropbox.journalist.api;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;

/**
 * Coverage-guided fuzzing of every JSON body the Journalist API takes from outside (login, reply,
 * seen, the v2 batch), from raw bytes through Jackson to the checks in {@link ApiBodies}.
 *
 * <p>Oracles: each check returns exactly one of a value or a refusal, never throws; a refusal is a
 * 4xx; a value respects the bounds (batch: at most {@link ApiV2Resource#MAX_BATCH_UUIDS} uuids of
 * at most 36 characters, at most {@link ApiV2Resource#EVENTS_MAX} events in ascending id order;
 * seen: at most {@link ApiV1Resource#MAX_SEEN_ITEMS} entries; reply: armored text and a lower-case
 * uuid or none).
 *
 * <p>The suite replays the committed corpus ({@code ApiBodiesFuzzTestInputs/bodies/}); {@code
 * tools/fuzz-all.sh N dropbox-journalist} fuzzes it for N inputs.
 */
class ApiBodiesFuzzTest {

  /** As the application's mapper reads trees (Jackson's defaults: nesting and size bounds). */
  private static final ObjectMapper JSON = new ObjectMapper();

  @FuzzTest(maxDuration = "4h")
  void bodies(byte[] raw) {
    JsonNode n = ApiBodies.parse(JSON, raw);

    ApiBodies.Checked<ApiBodies.Login> login = ApiBodies.login(n);
    exactlyOne(login);

    ApiBodies.Checked<ApiBodies.ReplyBody> reply = ApiBodies.reply(n);
    exactlyOne(reply);
    if (reply.value() != null) {
      check(ArmoredReply.looksArmored(reply.value().armored()), "an unarmored reply passed");
      String uuid = reply.value().uuid();
      check(
          uuid == null || uuid.equals(uuid.toLowerCase(java.util.Locale.ROOT)),
          "the reply uuid is not lower case");
    }

    ApiBodies.Checked<ApiBodies.Seen> seen = ApiBodies.seen(n);
    exactlyOne(seen);
    if (seen.value() != null) {
      int total =
          seen.value().files().size()
              + seen.value().messages().size()
              + seen.value().replies().size();
      check(total > 0 && total <= ApiV1Resource.MAX_SEEN_ITEMS, "seen out of bounds: " + total);
    }

    ApiBodies.Checked<ApiBodies.Batch> batch = ApiBodies.batch(n);
    exactlyOne(batch);
    if (batch.value() != null) {
      ApiBodies.Batch b = batch.value();
      int total = b.sources().size() + b.items().size() + b.journalists().size();
      check(total <= ApiV2Resource.MAX_BATCH_UUIDS, "batch out of bounds");
      for (var set : java.util.List.of(b.sources(), b.items(), b.journalists())) {
        for (String u : set) {
          check(u.length() <= 36, "a uuid longer than 36");
        }
      }
      check(b.events().size() <= ApiV2Resource.EVENTS_MAX, "too many events");
      BigInteger last = null;
      for (JsonNode e : b.events()) {
        BigInteger id = new BigInteger(e.get("id").asText());
        check(last == null || last.compareTo(id) <= 0, "events out of order");
        last = id;
      }
    }
  }

  private static void exactlyOne(ApiBodies.Checked<?> c) {
    check((c.value() == null) != (c.refusal() == null), "not exactly one of value and refusal");
    if (c.refusal() != null) {
      int status = c.refusal().status();
      check(status >= 400 && status < 500, "a refusal that is not a 4xx: " + status);
      check(c.refusal().message() != null, "a refusal without a message");
    }
  }

  static void check(boolean condition, String what) {
    if (!condition) {
      throw new AssertionError(what);
    }
  }
}
