/**
 * Channels to real relays (tor-spec §2-§4): the link handshake's cells (VERSIONS, CERTS,
 * AUTH_CHALLENGE, NETINFO) as sans-IO codecs, the responder's certificate chain checked against the
 * identity the consensus lists ({@link org.oniondrop.onion.link.CertsVerifier}), and {@link
 * org.oniondrop.onion.link.TlsChannel}, the only class here that owns a socket.
 */
package org.oniondrop.onion.link;
