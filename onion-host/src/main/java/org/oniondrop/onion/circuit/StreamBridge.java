package org.oniondrop.onion.circuit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.oniondrop.onion.cell.End;

/**
 * Copies bytes between a TCP socket and an onion stream, one thread each way. Either side ending
 * ends both: Tor streams have no half-close, so a socket EOF sends END(DONE), and an END from the
 * peer closes the socket once what arrived before it has been written.
 */
public final class StreamBridge {

  /** Socket reads are this large; each becomes DATA cells of at most 498 bytes. */
  static final int READ_BUFFER = 16 * 1024;

  private static final ExecutorService THREADS =
      Executors.newCachedThreadPool(org.oniondrop.onion.net.DaemonThreads.named("onion-stream"));

  private StreamBridge() {}

  /** Starts copying; the socket is closed when the stream ends. */
  public static void start(OnionStream stream, Socket socket) {
    THREADS.execute(() -> socketToStream(stream, socket));
    THREADS.execute(() -> streamToSocket(stream, socket));
  }

  private static void socketToStream(OnionStream stream, Socket socket) {
    byte[] buf = new byte[READ_BUFFER];
    try (InputStream in = socket.getInputStream()) {
      int n;
      while ((n = in.read(buf)) > 0) {
        stream.write(buf, 0, n);
      }
      stream.close(End.DONE);
    } catch (IOException e) {
      stream.close(stream.isClosed() ? End.DONE : End.CONNRESET);
    }
  }

  private static void streamToSocket(OnionStream stream, Socket socket) {
    byte[] buf = new byte[READ_BUFFER];
    try {
      OutputStream out = socket.getOutputStream();
      while (true) {
        int n = stream.read(buf, 1000);
        if (n < 0) {
          break;
        }
        if (n > 0) {
          out.write(buf, 0, n);
        }
      }
      out.flush();
    } catch (IOException e) {
      stream.close(End.CONNRESET);
    } finally {
      try {
        socket.close();
      } catch (IOException ignored) {
        // nothing more to do for a socket that is already gone
      }
    }
  }
}
