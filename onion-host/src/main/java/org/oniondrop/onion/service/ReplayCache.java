package org.oniondrop.onion.service;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import org.oniondrop.onion.crypto.HsCrypto;

/**
 * The INTRODUCE2 replay cache of one introduction point (rend-spec-v3 §3.3: "services MUST check
 * the INTRODUCE2 cells for replays"). It holds the SHA3-256 of every encrypted section seen and
 * never forgets one: it is as large as the introductions its point may serve, and the point is
 * rotated (with a fresh cache and fresh keys, so old cells no longer decrypt) once that many were
 * seen. Flushing the cache with junk therefore cannot re-enable a replay, unlike a FIFO.
 */
final class ReplayCache {

  private final int capacity;
  private final Set<ByteBuffer> seen = new HashSet<>();

  ReplayCache(int capacity) {
    this.capacity = capacity;
  }

  /** Outcome of {@link #check}. */
  enum Result {
    FRESH,
    REPLAY,
    FULL
  }

  /** Records {@code encrypted}; REPLAY if seen before, FULL if the cache can take no more. */
  Result check(byte[] encrypted) {
    ByteBuffer key = ByteBuffer.wrap(HsCrypto.sha3(encrypted));
    if (seen.contains(key)) {
      return Result.REPLAY;
    }
    if (seen.size() >= capacity) {
      return Result.FULL;
    }
    seen.add(key);
    return Result.FRESH;
  }

  int size() {
    return seen.size();
  }

  boolean isFull() {
    return seen.size() >= capacity;
  }
}
