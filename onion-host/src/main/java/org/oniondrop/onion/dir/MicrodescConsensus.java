package org.oniondrop.onion.dir;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.oniondrop.onion.crypto.HsCrypto;
import org.oniondrop.onion.crypto.TorRsa;

/**
 * A microdescriptor-flavoured consensus (dir-spec §3.4.1, §3.9.2), parsed but not trusted: {@link
 * ConsensusVerifier} decides whether it is signed and live. Keeps what a client and an onion
 * service need: times, parameters, shared random values, router entries, and the signatures with
 * the digests they cover.
 */
public record MicrodescConsensus(
    Instant validAfter,
    Instant freshUntil,
    Instant validUntil,
    Map<String, Integer> params,
    Map<String, Integer> bandwidthWeights,
    byte[] currentSrv,
    byte[] previousSrv,
    List<Router> routers,
    List<Signature> signatures,
    byte[] signedSha1,
    byte[] signedSha256) {

  /** The public network's microdesc consensus is about 3 MB; tornet's 6 KB. */
  public static final int MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

  /** The public network has about 9,000 relays. */
  public static final int MAX_ROUTERS = 50_000;

  /** Signatures: one or two per authority. */
  public static final int MAX_SIGNATURES = 64;

  /** One router entry ({@code r}, {@code m}, {@code s}, {@code pr}, {@code w} lines). */
  public record Router(
      String nickname,
      byte[] rsaId,
      byte[] ipv4,
      int orPort,
      int dirPort,
      byte[] microdescDigest,
      Set<String> flags,
      String protocols,
      long bandwidth) {

    public boolean has(String flag) {
      return flags.contains(flag);
    }
  }

  /** A {@code directory-signature [algorithm] identity signing-key-digest} item. */
  public record Signature(String algorithm, byte[] identity, byte[] signingKeyDigest, byte[] sig) {}

  public Duration votingInterval() {
    return Duration.between(validAfter, freshUntil);
  }

  public int param(String name, int defaultValue) {
    return params.getOrDefault(name, defaultValue);
  }

  public static MicrodescConsensus parse(String doc) throws DirException {
    if (doc.length() > MAX_DOCUMENT_BYTES) {
      throw new DirException("consensus larger than " + MAX_DOCUMENT_BYTES + " bytes");
    }
    if (!doc.startsWith("network-status-version 3 microdesc\n")) {
      throw new DirException("not a microdesc-flavoured version 3 consensus");
    }
    List<NetDocLines.Item> items = NetDocLines.parse(doc);
    Instant validAfter = null;
    Instant freshUntil = null;
    Instant validUntil = null;
    Map<String, Integer> params = new HashMap<>();
    Map<String, Integer> weights = new HashMap<>();
    byte[] current = null;
    byte[] previous = null;
    boolean isConsensus = false;
    List<Router> routers = new ArrayList<>();
    List<Signature> sigs = new ArrayList<>();
    int signedEnd = -1;
    RouterBuilder r = null;
    for (NetDocLines.Item item : items) {
      switch (item.keyword()) {
        case "vote-status" -> isConsensus = item.arg(0).equals("consensus");
        case "valid-after" -> validAfter = NetDocLines.time(item);
        case "fresh-until" -> freshUntil = NetDocLines.time(item);
        case "valid-until" -> validUntil = NetDocLines.time(item);
        case "params" -> {
          for (String kv : item.args()) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
              try {
                params.put(kv.substring(0, eq), Integer.parseInt(kv.substring(eq + 1)));
              } catch (NumberFormatException e) {
                throw new DirException("params value is not an integer");
              }
            }
          }
        }
        case "bandwidth-weights" -> {
          // dir-spec §3.4.1: Wxy=N, N in 0..10000 for each position and flag combination.
          for (String kv : item.args()) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
              try {
                weights.put(kv.substring(0, eq), Integer.parseInt(kv.substring(eq + 1)));
              } catch (NumberFormatException e) {
                throw new DirException("bandwidth-weights value is not an integer");
              }
            }
          }
        }
        case "shared-rand-current-value" ->
            current = NetDocLines.base64(item.arg(1), 32, "shared random value");
        case "shared-rand-previous-value" ->
            previous = NetDocLines.base64(item.arg(1), 32, "shared random value");
        case "r" -> {
          if (r != null) {
            routers.add(r.build());
          }
          if (routers.size() >= MAX_ROUTERS) {
            throw new DirException("consensus lists more than " + MAX_ROUTERS + " routers");
          }
          r = new RouterBuilder(item);
        }
        case "m" -> {
          if (r != null) {
            r.digest = NetDocLines.base64(item.arg(0), 32, "microdescriptor digest");
          }
        }
        case "s" -> {
          if (r != null) {
            r.flags = Set.copyOf(item.args());
          }
        }
        case "pr" -> {
          if (r != null) {
            r.protocols = String.join(" ", item.args());
          }
        }
        case "w" -> {
          if (r != null) {
            for (String kv : item.args()) {
              if (kv.startsWith("Bandwidth=")) {
                try {
                  r.bandwidth = Long.parseLong(kv.substring(10));
                } catch (NumberFormatException e) {
                  throw new DirException("malformed bandwidth");
                }
              }
            }
          }
        }
        case "directory-footer" -> {
          if (r != null) {
            routers.add(r.build());
            r = null;
          }
        }
        case "directory-signature" -> {
          if (r != null) {
            routers.add(r.build());
            r = null;
          }
          if (signedEnd < 0) {
            signedEnd = item.start() + "directory-signature ".length();
          }
          if (sigs.size() >= MAX_SIGNATURES) {
            throw new DirException("more than " + MAX_SIGNATURES + " signatures");
          }
          boolean withAlg = item.args().size() >= 3;
          String alg = withAlg ? item.arg(0) : "sha1";
          int off = withAlg ? 1 : 0;
          if (item.object() == null || !"SIGNATURE".equals(item.objectType())) {
            throw new DirException("directory-signature without a SIGNATURE object");
          }
          sigs.add(
              new Signature(
                  alg,
                  NetDocLines.hex(item.arg(off), 20, "signature identity"),
                  NetDocLines.hex(item.arg(off + 1), 20, "signing key digest"),
                  item.object()));
        }
        default -> {
          // fields a client does not use
        }
      }
    }
    if (!isConsensus) {
      throw new DirException("document is not a consensus");
    }
    if (validAfter == null || freshUntil == null || validUntil == null) {
      throw new DirException("consensus lacks its validity times");
    }
    if (!validAfter.isBefore(freshUntil) || freshUntil.isAfter(validUntil)) {
      throw new DirException("consensus validity times are out of order");
    }
    if (signedEnd < 0) {
      throw new DirException("consensus has no signatures");
    }
    byte[] signed = doc.substring(0, signedEnd).getBytes(StandardCharsets.ISO_8859_1);
    return new MicrodescConsensus(
        validAfter,
        freshUntil,
        validUntil,
        Map.copyOf(params),
        Map.copyOf(weights),
        current,
        previous,
        List.copyOf(routers),
        List.copyOf(sigs),
        TorRsa.sha1(signed),
        HsCrypto.sha256(signed));
  }

  /** The digest a signature with {@code algorithm} covers. */
  public byte[] signedDigest(String algorithm) throws DirException {
    return switch (algorithm) {
      case "sha1" -> signedSha1.clone();
      case "sha256" -> signedSha256.clone();
      default -> throw new DirException("unknown signature digest algorithm " + algorithm);
    };
  }

  private static final class RouterBuilder {
    final String nickname;
    final byte[] rsaId;
    final byte[] ipv4;
    final int orPort;
    final int dirPort;
    byte[] digest;
    Set<String> flags = Set.of();
    String protocols = "";
    long bandwidth;

    RouterBuilder(NetDocLines.Item item) throws DirException {
      // r nickname identity published-date published-time IP ORPort DirPort
      nickname = item.arg(0);
      rsaId = NetDocLines.base64(item.arg(1), 20, "router identity");
      ipv4 = ipv4(item.arg(4));
      orPort = port(item.arg(5));
      dirPort = Integer.parseInt(item.arg(6).matches("\\d{1,5}") ? item.arg(6) : "0");
    }

    Router build() throws DirException {
      if (digest == null) {
        throw new DirException("router " + nickname + " has no microdescriptor digest");
      }
      return new Router(
          nickname, rsaId, ipv4, orPort, dirPort, digest, flags, protocols, bandwidth);
    }
  }

  static byte[] ipv4(String s) throws DirException {
    String[] p = s.split("\\.");
    if (p.length != 4) {
      throw new DirException("'" + s + "' is not an IPv4 address");
    }
    byte[] b = new byte[4];
    for (int i = 0; i < 4; i++) {
      int v;
      try {
        v = Integer.parseInt(p[i]);
      } catch (NumberFormatException e) {
        throw new DirException("'" + s + "' is not an IPv4 address");
      }
      if (v < 0 || v > 255) {
        throw new DirException("'" + s + "' is not an IPv4 address");
      }
      b[i] = (byte) v;
    }
    return b;
  }

  /**
   * A TCP port 1..65535 from a directory document or torrc line (the one parser of the package).
   */
  static int port(String s) throws DirException {
    try {
      int p = Integer.parseInt(s);
      if (p < 1 || p > 65535) {
        throw new NumberFormatException();
      }
      return p;
    } catch (NumberFormatException e) {
      throw new DirException(
          "'" + (s.length() <= 40 ? s : s.substring(0, 40) + "...") + "' is not a port");
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
