/**
 * Circuit handshakes: ntor for CREATE2/EXTEND2 (tor-spec §5.1.4) and hs-ntor for introduction and
 * rendezvous (rend-spec-v3 §3.3.2, §4.2, App. G). Sans-IO: each side is a pure function from keys
 * and received bytes to key material or a {@link org.oniondrop.onion.crypto.CryptoException}.
 * X25519 is Bouncy Castle's low-level implementation; an all-zero shared secret is refused
 * (tor-spec §5.1.4).
 */
package org.oniondrop.onion.handshake;
