package org.oniondrop.dropbox.journalist.api;

/**
 * The check SecureDrop makes of a client-encrypted reply before storing it: an ASCII-armored
 * OpenPGP message. We also want the closing line, so a truncated upload is refused rather than
 * stored as an undecryptable reply.
 */
final class ArmoredReply {

  static final String BEGIN = "-----BEGIN PGP MESSAGE-----";
  static final String END = "-----END PGP MESSAGE-----";

  private ArmoredReply() {}

  static boolean looksArmored(String text) {
    if (text == null) {
      return false;
    }
    int eol = text.indexOf('\n');
    String first = (eol < 0 ? text : text.substring(0, eol)).strip();
    return first.equals(BEGIN) && text.strip().endsWith(END);
  }
}
