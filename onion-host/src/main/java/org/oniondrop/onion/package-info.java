/**
 * A pure-Java implementation of Tor v3 onion services (rend-spec-v3).
 *
 * <p>Packages split as Arti splits its crates, and code that does no I/O sits apart from the thin
 * layer that owns sockets: {@code bytes} (readers and writers), {@code crypto} (primitives: SHA3
 * MAC, SHAKE KDF, AES-CTR, Ed25519 with expanded keys), {@code keys} (identity, blinded and
 * client-authorization keys, onion addresses, tor's key files), {@code hsdir} (time periods and the
 * HSDir hash ring), {@code cert} (Ed25519 certificates), {@code descriptor} (v3 descriptors, all
 * three layers), {@code cell} (cells and relay messages), {@code handshake} (ntor, hs-ntor), {@code
 * relaycrypto} (tor1 hop layers and the onion-service virtual hop), {@code cli} (the {@code
 * onion-host} command).
 */
package org.oniondrop.onion;
