package org.oniondrop.onion.net;

import java.util.Arrays;
import java.util.List;
import org.oniondrop.onion.cell.LinkSpecifier;

/**
 * What the consensus says about a relay: identities, ntor onion key, flags, and the address that
 * appears in link specifiers.
 */
public record RelayInfo(
    String nickname,
    byte[] rsaId,
    byte[] ed25519Id,
    byte[] ntorKey,
    byte[] ipv4,
    int orPort,
    boolean hsDir) {

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
