package org.oniondrop.dropbox.core.service;

import java.text.Normalizer;
import java.util.Locale;

/** Names derived for files: never trusted input, never logged. */
public final class FileNames {

  /** Longest sanitized original name kept (inside the ciphertext only). */
  public static final int MAX_ORIGINAL_NAME = 128;

  private FileNames() {}

  /**
   * A safe version of a source's file name, as SecureDrop's {@code secure_filename}: ASCII letters,
   * digits, dot, dash and underscore; no leading dots; at most {@value #MAX_ORIGINAL_NAME}
   * characters keeping the extension; "document" if nothing is left.
   */
  public static String sanitize(String original) {
    if (original == null) {
      return "document";
    }
    String ascii = Normalizer.normalize(original, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
    int slash = Math.max(ascii.lastIndexOf('/'), ascii.lastIndexOf('\\'));
    ascii = ascii.substring(slash + 1);
    StringBuilder out = new StringBuilder();
    for (char c : ascii.toCharArray()) {
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '-'
              || c == '_';
      out.append(ok ? c : '_');
    }
    String s = out.toString().replaceAll("_+", "_").replaceAll("^[._]+", "");
    if (s.length() > MAX_ORIGINAL_NAME) {
      int dot = s.lastIndexOf('.');
      String ext = dot > 0 && s.length() - dot <= 10 ? s.substring(dot) : "";
      s = s.substring(0, MAX_ORIGINAL_NAME - ext.length()) + ext;
    }
    return s.isEmpty() ? "document" : s;
  }

  /** SecureDrop's journalist_filename: the designation lowercased, {@code _} for spaces. */
  public static String journalistFilename(String designation) {
    return designation.toLowerCase(Locale.ROOT).replace(' ', '_').replaceAll("[^a-z0-9_-]", "");
  }
}
