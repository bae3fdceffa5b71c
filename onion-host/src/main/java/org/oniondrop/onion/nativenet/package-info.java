/**
 * The {@code native} backend: {@link org.oniondrop.onion.nativenet.NativeNetwork} implements {@link
 * org.oniondrop.onion.net.OnionNetwork} over a real Tor network, with the verified consensus from
 * {@link org.oniondrop.onion.dir.NetworkDirectory} and TLS channels from {@link
 * org.oniondrop.onion.link.TlsChannel}, so {@code OnionService} and {@code OnionClient} run on it
 * unchanged.
 */
package org.oniondrop.onion.nativenet;
