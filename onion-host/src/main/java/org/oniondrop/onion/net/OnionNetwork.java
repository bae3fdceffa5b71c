package org.oniondrop.onion.net;

import java.io.IOException;
import java.time.Clock;

/**
 * What clients and services need from a network: the current consensus, a channel to a relay, and
 * the time. The embedded network implements it in memory; a tor-native backend would implement it
 * with TLS links and a fetched consensus.
 */
public interface OnionNetwork {

  Consensus consensus();

  /**
   * A channel from {@code from} to {@code relay}, reusing an open one.
   *
   * @throws IOException if the relay cannot be reached
   */
  Channel connect(Node from, RelayInfo relay) throws IOException;

  Clock clock();
}
