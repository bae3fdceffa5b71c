package org.oniondrop.onion.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local target that costs no thread per connection: one acceptor keeps every socket open. With
 * {@code readFirstLine}, the acceptor reads each connection's first line (the PROXY line, when
 * exported), records it, answers "ok\n" and keeps the socket.
 */
final class HoldingTarget implements AutoCloseable {

  /** A PROXY v1 line is at most 107 bytes; read no further. */
  private static final int MAX_LINE = 107;

  private final ServerSocket server;
  private final boolean readFirstLine;
  final List<Socket> held = new CopyOnWriteArrayList<>();
  final List<String> firstLines = new CopyOnWriteArrayList<>();

  HoldingTarget(boolean readFirstLine) throws IOException {
    this.readFirstLine = readFirstLine;
    server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::acceptLoop, "holding-target");
    t.setDaemon(true);
    t.start();
  }

  InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        held.add(s);
        if (readFirstLine) {
          s.setSoTimeout(10_000);
          ByteArrayOutputStream line = new ByteArrayOutputStream();
          int b;
          while (line.size() < MAX_LINE && (b = s.getInputStream().read()) >= 0) {
            line.write(b);
            if (b == '\n') {
              break;
            }
          }
          firstLines.add(line.toString(StandardCharsets.US_ASCII));
          s.getOutputStream().write("ok\n".getBytes(StandardCharsets.US_ASCII));
          s.getOutputStream().flush();
        }
      } catch (IOException e) {
        // closed, or a connection that went away
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : held) {
      s.close();
    }
  }
}
