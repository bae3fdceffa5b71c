/**
 * Hosting onion services (rend-spec-v3 §3-§4, §2.2.4): introduction points over 3-hop circuits,
 * descriptors for the current and next time period uploaded to the responsible HSDirs, INTRODUCE2
 * handling (replay caches, hs-ntor with the right subcredential), rendezvous, and streams forwarded
 * to local TCP targets like tor's HiddenServicePort.
 */
package org.oniondrop.onion.service;
