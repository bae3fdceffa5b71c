/**
 * Tor's Ed25519 certificates (cert-spec §2.1) of the types onion services use: 08 (descriptor
 * signing key, signed by the blinded key), 09 (intro point auth key) and 0B (intro point encryption
 * key), the last two "backwards": signed by the descriptor signing key (rend-spec-v3 App. E).
 * Signatures cover all preceding bytes with no prefix string.
 */
package org.oniondrop.onion.cert;
