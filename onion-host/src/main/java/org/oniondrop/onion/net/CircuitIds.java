package org.oniondrop.onion.net;

import java.util.HashMap;
import java.util.Map;

/** Allocates circuit ids per channel: top bit set by the channel's initiator (tor-spec §4.1). */
public final class CircuitIds {

  private final Map<Channel, Long> next = new HashMap<>();

  /** A fresh id on {@code channel}; never 0. Call on the owning node's loop. */
  public long allocate(Channel channel) {
    long n = next.merge(channel, 1L, Long::sum);
    long id = n & 0x7fffffffL;
    return channel.initiator() ? (0x80000000L | id) : id;
  }

  public void forget(Channel channel) {
    next.remove(channel);
  }
}
