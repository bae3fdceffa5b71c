package org.oniondrop.onion.net;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.oniondrop.onion.cell.LinkSpecifier;

/**
 * What the consensus says about a relay: identities, ntor onion key, flags, the address that
 * appears in link specifiers, and what path selection weighs (path-spec §2.2): the Guard and Exit
 * flags, the consensus bandwidth ({@code w Bandwidth=}) and the declared family.
 *
 * <p>{@code family} holds the microdescriptor's {@code family} members as {@code $HEX} (upper-case
 * RSA fingerprints) and its {@code family-ids} as {@code id:TOKEN}.
 */
public record RelayInfo(
    String nickname,
    byte[] rsaId,
    byte[] ed25519Id,
    byte[] ntorKey,
    byte[] ipv4,
    int orPort,
    boolean hsDir,
    boolean guard,
    boolean exit,
    long bandwidth,
    Set<String> family) {

  public RelayInfo {
    family = Set.copyOf(family);
  }

  /** A relay without path-selection attributes (the embedded network: no guards, equal weight). */
  public RelayInfo(
      String nickname,
      byte[] rsaId,
      byte[] ed25519Id,
      byte[] ntorKey,
      byte[] ipv4,
      int orPort,
      boolean hsDir) {
    this(nickname, rsaId, ed25519Id, ntorKey, ipv4, orPort, hsDir, false, false, 0, Set.of());
  }

  /** The same relay with another ntor onion key (a rendezvous point as a client named it). */
  public RelayInfo withNtorKey(byte[] key) {
    return new RelayInfo(
        nickname, rsaId, ed25519Id, key, ipv4, orPort, hsDir, guard, exit, bandwidth, family);
  }

  /** Upper-case hex of the RSA identity, as {@code family} lines name relays. */
  public String rsaHex() {
    return HexFormat.of().withUpperCase().formatHex(rsaId);
  }

  /** Whether the two relays' IPv4 addresses share their first 16 bits (path-spec §2.2). */
  public boolean sameSlash16(RelayInfo other) {
    return ipv4[0] == other.ipv4[0] && ipv4[1] == other.ipv4[1];
  }

  /**
   * Whether the two relays are one family (path-spec §2.2; dir-spec "family", "family-ids"): each
   * lists the other's fingerprint, or they share a family id.
   */
  public boolean sameFamily(RelayInfo other) {
    if (family.contains("$" + other.rsaHex()) && other.family.contains("$" + rsaHex())) {
      return true;
    }
    for (String f : family) {
      if (f.startsWith("id:") && other.family.contains(f)) {
        return true;
      }
    }
    return false;
  }

  /** Link specifiers as a relay's descriptor would give them: IPv4, legacy id, ed25519 id. */
  public List<LinkSpecifier> linkSpecifiers() {
    return List.of(
        LinkSpecifier.ipv4(ipv4, orPort),
        new LinkSpecifier(LinkSpecifier.LEGACY_ID, rsaId),
        new LinkSpecifier(LinkSpecifier.ED25519_ID, ed25519Id));
  }

  /** Whether {@code specs} name this relay (legacy id, and ed25519 id when given). */
  public boolean matches(List<LinkSpecifier> specs) {
    boolean legacy = false;
    for (LinkSpecifier s : specs) {
      if (s.type() == LinkSpecifier.LEGACY_ID) {
        if (!Arrays.equals(s.data(), rsaId)) {
          return false;
        }
        legacy = true;
      }
      if (s.type() == LinkSpecifier.ED25519_ID && !Arrays.equals(s.data(), ed25519Id)) {
        return false;
      }
    }
    return legacy;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RelayInfo r && Arrays.equals(rsaId, r.rsaId);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(rsaId);
  }

  @Override
  public String toString() {
    return nickname;
  }
}
