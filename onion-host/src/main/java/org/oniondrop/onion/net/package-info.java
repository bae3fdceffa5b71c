/**
 * Nodes and channels: the thin layer that moves cells. Each node (relay, client, service) runs its
 * protocol logic on one {@link org.oniondrop.onion.net.NodeLoop} thread, so circuit state needs no
 * locks; a {@link org.oniondrop.onion.net.Channel} delivers cells to the far node's loop in order.
 * The embedded network uses in-memory channels; a TLS link to real relays (link protocol 4/5,
 * tor-spec §2-§4) is another implementation of the same interface.
 */
package org.oniondrop.onion.net;
