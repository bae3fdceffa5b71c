/**
 * The embedded onion network: a directory and relays inside one JVM, speaking real cells with real
 * cryptography (ntor-built circuits, tor1 relay crypto, HSDir store and fetch over BEGIN_DIR,
 * introduction and rendezvous points).
 *
 * <p><b>It gives no anonymity</b>: every relay runs in this process, so whoever runs it sees
 * everything. It exists for development, demos, tests and offline evaluation; real deployments use
 * the tor backend.
 */
package org.oniondrop.onion.embedded;
