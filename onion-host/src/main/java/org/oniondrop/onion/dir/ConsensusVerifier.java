package org.oniondrop.onion.dir;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Decides whether a consensus may be used (dir-spec §3.4.1, §5.1; tor's
 * networkstatus_check_consensus_signature): signed by more than half of the configured authorities,
 * each signature checked with that authority's current signing key (from a key certificate whose
 * fingerprint is the configured v3ident), and live.
 */
public final class ConsensusVerifier {

  /**
   * How long after valid-until a consensus is still "reasonably live" (tor's REASONABLY_LIVE_TIME,
   * 24 hours): a client keeps working through a directory outage that long.
   */
  public static final Duration REASONABLY_LIVE = Duration.ofHours(24);

  /** A consensus whose valid-after lies this far in the future is refused (clock skew bound). */
  public static final Duration MAX_FUTURE_SKEW = Duration.ofHours(1);

  private ConsensusVerifier() {}

  /**
   * @throws DirException if fewer than a majority of {@code config}'s authorities signed it, or it
   *     is expired or from the future
   */
  public static void verify(
      MicrodescConsensus consensus,
      JoinConfig config,
      List<AuthorityCertificate> certs,
      Instant now)
      throws DirException {
    if (now.isAfter(consensus.validUntil().plus(REASONABLY_LIVE))) {
      throw new DirException(
          "consensus expired: valid until " + consensus.validUntil() + ", now " + now);
    }
    if (consensus.validAfter().isAfter(now.plus(MAX_FUTURE_SKEW))) {
      throw new DirException(
          "consensus valid-after " + consensus.validAfter() + " is in the future");
    }
    Set<String> good = new HashSet<>();
    for (MicrodescConsensus.Signature sig : consensus.signatures()) {
      DirAuthority auth =
          config.authorities().stream()
              .filter(a -> Arrays.equals(a.v3ident(), sig.identity()))
              .findFirst()
              .orElse(null);
      if (auth == null) {
        continue; // not one of ours
      }
      AuthorityCertificate cert =
          certs.stream()
              .filter(c -> Arrays.equals(c.fingerprint(), sig.identity()))
              .filter(c -> Arrays.equals(c.signingKeyDigest(), sig.signingKeyDigest()))
              .findFirst()
              .orElse(null);
      if (cert == null) {
        continue; // no certificate for that signing key
      }
      try {
        cert.check(now);
      } catch (DirException e) {
        continue;
      }
      byte[] digest;
      try {
        digest = consensus.signedDigest(sig.algorithm());
      } catch (DirException e) {
        continue;
      }
      if (cert.signingKey().verifyBareDigest(digest, sig.sig())) {
        good.add(HexFormat.of().formatHex(sig.identity()));
      }
    }
    if (good.size() < config.majority()) {
      throw new DirException(
          "consensus has "
              + good.size()
              + " valid signatures from configured authorities; "
              + config.majority()
              + " of "
              + config.authorities().size()
              + " needed");
    }
  }
}
