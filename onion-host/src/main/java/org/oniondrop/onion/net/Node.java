package org.oniondrop.onion.net;

/** Anything that ends channels: a relay, a client, a service. */
public interface Node {

  String name();

  NodeLoop loop();

  CellHandler handler();
}
