/**
 * The client side: connecting to onion services (descriptor fetch from the responsible HSDirs,
 * restricted-discovery keys from a ClientOnionAuthDir, rendezvous, introduction with retries,
 * streams) and the SOCKS5 port (RFC 1928, Netty's codec) that browsers and curl use, answering
 * failures with Tor's extended error codes (0xF0-0xF7).
 */
package org.oniondrop.onion.client;
