/**
 * Relay cell crypto (tor-spec §5.5, §6.1; rend-spec-v3 §4.2.1): tor1 hop layers (AES-128-CTR,
 * running SHA-1 digests seeded with Df/Db) and the onion-service virtual hop (AES-256-CTR, running
 * SHA3-256). Ciphers and digests live for the whole circuit; digests are peeked on copies and only
 * committed when a cell is recognized. The service side of the virtual hop uses the keys the other
 * way round.
 */
package org.oniondrop.onion.relaycrypto;
