package org.oniondrop.onion.dir;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A directory authority as tor's {@code DirAuthority} option names it (tor manual, "DirAuthority
 * [nickname] [flags] ipv4address:dirport fingerprint"): its v3 identity ({@code v3ident=}, SHA-1 of
 * its authority identity key), the DirPort we fetch from, its ORPort and relay fingerprint.
 */
public record DirAuthority(
    String nickname, byte[] v3ident, String address, int dirPort, int orPort, byte[] fingerprint) {

  /** Parses the arguments of one {@code DirAuthority} line (without the keyword). */
  public static DirAuthority parse(String line) throws DirException {
    String[] parts = line.trim().split("\\s+");
    String nickname = null;
    byte[] v3ident = null;
    int orPort = 0;
    String addr = null;
    List<String> rest = new ArrayList<>();
    for (String p : parts) {
      if (p.startsWith("v3ident=")) {
        v3ident = NetDocLines.hex(p.substring(8), 20, "v3ident");
      } else if (p.startsWith("orport=")) {
        orPort = MicrodescConsensus.port(p.substring(7));
      } else if (p.contains("=") || p.equals("no-v2") || p.equals("hs") || p.equals("no-hs")) {
        // flags we do not need (ipv6=, bridge, weight=...)
      } else if (addr == null && p.matches("\\d+\\.\\d+\\.\\d+\\.\\d+:\\d+")) {
        addr = p;
      } else if (addr == null && nickname == null) {
        nickname = p;
      } else {
        rest.add(p);
      }
    }
    if (addr == null) {
      throw new DirException("DirAuthority line has no address:dirport");
    }
    if (v3ident == null) {
      throw new DirException("DirAuthority line has no v3ident (not a v3 authority)");
    }
    String fp = String.join("", rest);
    byte[] fingerprint = NetDocLines.hex(fp, 20, "DirAuthority fingerprint");
    int colon = addr.indexOf(':');
    return new DirAuthority(
        nickname == null ? "auth" : nickname,
        v3ident,
        addr.substring(0, colon),
        MicrodescConsensus.port(addr.substring(colon + 1)),
        orPort,
        fingerprint);
  }

  public String v3identHex() {
    return HexFormat.of().withUpperCase().formatHex(v3ident);
  }

  @Override
  public String toString() {
    return nickname + " " + address + ":" + dirPort;
  }
}
