package org.oniondrop.onion.net;

import org.oniondrop.onion.cell.Cell;

/**
 * One end of a link between two nodes, carrying cells in order (tor-spec §2). Sending on a closed
 * channel is a no-op: the far end has gone, and circuits over it are being torn down.
 */
public interface Channel {

  /** Queues {@code cell} for the far end. Never blocks. */
  void send(Cell cell);

  /** Closes both ends; each side's handler gets {@link CellHandler#onClose}. */
  void close();

  boolean isOpen();

  /** Who is on the far end (for logs and path selection). */
  String peer();

  /**
   * Whether this end opened the channel: it then sets the top bit of the circuit ids it picks, and
   * the other end clears it (tor-spec §4.1, link protocol 4+), so ids never collide.
   */
  boolean initiator();
}
