package org.oniondrop.onion.dir;

import java.util.HexFormat;

/**
 * A fallback directory mirror as tor's {@code FallbackDir} option names it (tor manual:
 * "FallbackDir ipv4address:dirport orport=orport id=fingerprint [weight=num] [ipv6=...]"; tor's own
 * compiled-in list gives no DirPort). We reach it on its ORPort over a one-hop BEGIN_DIR circuit,
 * with the link certificates checked against {@code id}. A fallback is a cache, never a trust
 * anchor: what it serves is verified against the configured authorities.
 *
 * @param dirPort 0 when the line gives none (it is not used)
 * @param ed25519Id the Ed25519 identity the link must prove too, or null (a FallbackDir line gives
 *     none; a directory cache taken from the consensus has its microdescriptor's)
 */
public record FallbackDir(
    String address, int dirPort, int orPort, byte[] fingerprint, byte[] ed25519Id) {

  public FallbackDir(String address, int dirPort, int orPort, byte[] fingerprint) {
    this(address, dirPort, orPort, fingerprint, null);
  }

  /** Parses the arguments of one {@code FallbackDir} line (without the keyword). */
  public static FallbackDir parse(String line) throws DirException {
    String address = null;
    int dirPort = 0;
    int orPort = 0;
    byte[] id = null;
    for (String p : line.trim().split("\\s+")) {
      if (p.startsWith("orport=")) {
        orPort = MicrodescConsensus.port(p.substring(7));
      } else if (p.startsWith("id=")) {
        id = NetDocLines.hex(p.substring(3), 20, "FallbackDir id");
      } else if (p.contains("=")) {
        // ipv6=, weight=: not used (no IPv6; every fallback is tried alike)
      } else if (address == null && p.matches("\\d{1,3}(\\.\\d{1,3}){3}(:\\d+)?")) {
        int colon = p.indexOf(':');
        address = colon < 0 ? p : p.substring(0, colon);
        dirPort = colon < 0 ? 0 : MicrodescConsensus.port(p.substring(colon + 1));
        for (String octet : address.split("\\.")) {
          if (Integer.parseInt(octet) > 255) {
            throw new DirException("FallbackDir address " + address + " is not IPv4");
          }
        }
      } else {
        throw new DirException("FallbackDir line has an unknown part '" + abbreviate(p) + "'");
      }
    }
    if (address == null) {
      throw new DirException("FallbackDir line has no IPv4 address");
    }
    if (orPort == 0) {
      throw new DirException("FallbackDir line has no orport=");
    }
    if (id == null) {
      throw new DirException("FallbackDir line has no id=");
    }
    return new FallbackDir(address, dirPort, orPort, id);
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  /** The IPv4 address as 4 bytes. */
  public byte[] ipv4() {
    String[] o = address.split("\\.");
    byte[] b = new byte[4];
    for (int i = 0; i < 4; i++) {
      b[i] = (byte) Integer.parseInt(o[i]);
    }
    return b;
  }

  public String fingerprintHex() {
    return HexFormat.of().withUpperCase().formatHex(fingerprint);
  }

  @Override
  public String toString() {
    return "fallback " + address + ":" + orPort + " $" + fingerprintHex().substring(0, 8);
  }
}
