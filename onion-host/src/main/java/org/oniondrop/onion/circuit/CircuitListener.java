package org.oniondrop.onion.circuit;

import org.oniondrop.onion.cell.RelayCell;

/** Receives a built circuit's relay cells and its end; called on the origin node's loop. */
public interface CircuitListener {

  /**
   * A relay cell recognized at {@code hop} (0-based), or at {@link OriginCircuit#VIRTUAL_HOP};
   * {@code digest} is the running digest after it (for authenticated SENDMEs).
   */
  void onRelayCell(OriginCircuit circuit, int hop, RelayCell cell, byte[] digest);

  void onDestroyed(OriginCircuit circuit);
}
