package org.oniondrop.onion.descriptor;

import java.util.List;
import org.oniondrop.onion.cell.LinkSpecifier;
import org.oniondrop.onion.cert.Ed25519Cert;

/**
 * One introduction point of the inner layer (rend-spec-v3 §2.5.2.2).
 *
 * @param linkSpecifiers how to reach the intro relay, passed on verbatim
 * @param onionKey the intro relay's ntor onion key (x25519)
 * @param authKeyCert type 09: certifies KP_hs_ipt_sid, signed by the descriptor signing key
 * @param encKey KP_hss_ntor, the service's x25519 key for hs-ntor at this intro point
 * @param encKeyCert type 0B: certifies the ed25519 form of {@code encKey}
 */
public record IntroPoint(
    List<LinkSpecifier> linkSpecifiers,
    byte[] onionKey,
    Ed25519Cert authKeyCert,
    byte[] encKey,
    Ed25519Cert encKeyCert) {

  public IntroPoint {
    linkSpecifiers = List.copyOf(linkSpecifiers);
  }

  /** KP_hs_ipt_sid, the key clients name in INTRODUCE1. */
  public byte[] authKey() {
    return authKeyCert.certifiedKey();
  }
}
