/**
 * Circuits seen from their origin (a client or a service): building 3-hop circuits with CREATE2 and
 * EXTEND2 (in RELAY_EARLY), layered tor1 crypto, the onion-service virtual hop, and streams over it
 * with Tor's fixed-window flow control (tor-spec §7.3-§7.4: circuit window 1000, SENDME every 100
 * DATA cells, authenticated v1; stream window 500, SENDME every 50). Windows give backpressure: a
 * writer blocks when its windows are empty, so a slow reader never makes memory grow.
 */
package org.oniondrop.onion.circuit;
