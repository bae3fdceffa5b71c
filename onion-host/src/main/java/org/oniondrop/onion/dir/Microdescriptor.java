package org.oniondrop.onion.dir;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.oniondrop.onion.crypto.HsCrypto;

/**
 * A microdescriptor (dir-spec §3.9.2), named by the SHA-256 of its text, which the consensus's
 * {@code m} line gives: what a client needs to build circuits through a relay, its {@code
 * ntor-onion-key} and its {@code id ed25519}. The TAP {@code onion-key} is optional in newer
 * consensus methods and not used.
 */
public record Microdescriptor(
    byte[] digest, byte[] ntorKey, byte[] ed25519Id, Set<String> family, String text) {

  /** Family entries kept per relay (the public network's largest families have about 100). */
  public static final int MAX_FAMILY = 1024;

  /** A batch answer for 100 relays is about 50 KB; the whole public network about 5 MB. */
  public static final int MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

  /** Splits a {@code /tor/micro/d/...} answer into microdescriptors and parses each. */
  public static List<Microdescriptor> parseAll(String text) throws DirException {
    if (text.length() > MAX_DOCUMENT_BYTES) {
      throw new DirException("microdescriptors larger than " + MAX_DOCUMENT_BYTES + " bytes");
    }
    String first =
        text.startsWith("onion-key\n") || text.contains("\nonion-key\n")
            ? "onion-key\n"
            : "ntor-onion-key ";
    List<Microdescriptor> out = new ArrayList<>();
    int start = text.startsWith(first) ? 0 : text.indexOf("\n" + first);
    if (start > 0) {
      start++;
    }
    while (start >= 0 && start < text.length()) {
      int next = text.indexOf("\n" + first, start);
      int end = next < 0 ? text.length() : next + 1;
      out.add(parse(text.substring(start, end)));
      start = next < 0 ? -1 : next + 1;
    }
    return out;
  }

  public static Microdescriptor parse(String md) throws DirException {
    byte[] ntor = null;
    byte[] ed = null;
    Set<String> family = new HashSet<>();
    for (NetDocLines.Item item : NetDocLines.parse(md)) {
      switch (item.keyword()) {
        case "ntor-onion-key" -> ntor = NetDocLines.base64(item.arg(0), 32, "ntor-onion-key");
        case "id" -> {
          if (item.arg(0).equals("ed25519")) {
            ed = NetDocLines.base64(item.arg(1), 32, "ed25519 id");
          }
        }
        case "family" -> {
          // dir-spec §3.3: "$" + 40 hex digits (microdescriptor families are canonical).
          for (String m : item.args()) {
            if (m.matches("\\$[0-9A-Fa-f]{40}(=.*|~.*)?") && family.size() < MAX_FAMILY) {
              family.add("$" + m.substring(1, 41).toUpperCase(Locale.ROOT));
            }
          }
        }
        case "family-ids" -> {
          for (String id : item.args()) {
            if (family.size() < MAX_FAMILY) {
              family.add("id:" + id);
            }
          }
        }
        default -> {
          // p, p6, onion-key: not used
        }
      }
    }
    if (ntor == null) {
      throw new DirException("microdescriptor has no ntor-onion-key");
    }
    byte[] digest = HsCrypto.sha256(md.getBytes(StandardCharsets.ISO_8859_1));
    return new Microdescriptor(digest, ntor, ed, Set.copyOf(family), md);
  }
}
