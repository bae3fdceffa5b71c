package org.oniondrop.onion.net;

import org.oniondrop.onion.cell.Cell;

/** A node's side of its channels: called on the node's own loop. */
public interface CellHandler {

  void onCell(Channel channel, Cell cell);

  void onClose(Channel channel);
}
