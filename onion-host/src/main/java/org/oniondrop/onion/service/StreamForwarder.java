package org.oniondrop.onion.service;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.oniondrop.onion.cell.Begin;
import org.oniondrop.onion.cell.End;
import org.oniondrop.onion.circuit.OnionStream;
import org.oniondrop.onion.circuit.StreamBridge;
import org.oniondrop.onion.circuit.StreamMux;
import org.oniondrop.onion.net.DaemonThreads;

/**
 * Forwards a service's streams to local TCP targets, like tor's HiddenServicePort (tor-spec §6.2;
 * Arti's tor-hsrproxy): BEGIN to a mapped virtual port opens a connection to its target, answers
 * CONNECTED, optionally writes the {@link CircuitIdExport} line first, and hands the pair to the
 * {@link StreamBridge}. Connects run on {@value #CONNECT_THREADS} threads with a queue of {@value
 * #CONNECT_QUEUE}: a connect that does not fit is refused with END(RESOURCELIMIT) instead of
 * growing threads (the per-circuit BEGIN cap of {@link StreamMux} bounds what one circuit can
 * queue).
 */
final class StreamForwarder implements StreamMux.BeginHandler, AutoCloseable {

  /** How long connecting to a local target may take. */
  static final int CONNECT_TIMEOUT_MILLIS = 10_000;

  /** Threads connecting to local targets (loopback connects take microseconds). */
  static final int CONNECT_THREADS = 4;

  /** Connects waiting for a thread, service-wide. */
  static final int CONNECT_QUEUE = 1024;

  private final ServiceConfig config;
  private final ThreadPoolExecutor connector;

  StreamForwarder(ServiceConfig config) {
    this.config = config;
    this.connector =
        new ThreadPoolExecutor(
            CONNECT_THREADS,
            CONNECT_THREADS,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(CONNECT_QUEUE),
            DaemonThreads.named("onion-service-connect"));
    connector.allowCoreThreadTimeOut(true);
  }

  @Override
  public void onBegin(StreamMux mux, int streamId, Begin begin) {
    InetSocketAddress target = config.ports().get(begin.port());
    if (target == null) {
      mux.refuse(streamId, End.DONE);
      return;
    }
    try {
      connector.execute(() -> connect(mux, streamId, begin.port(), target));
    } catch (RejectedExecutionException e) {
      mux.refuse(streamId, End.RESOURCELIMIT);
    }
  }

  private void connect(StreamMux mux, int streamId, int virtualPort, InetSocketAddress target) {
    SocketChannel socket;
    try {
      socket = SocketChannel.open();
    } catch (IOException e) {
      mux.circuit().execute(() -> mux.refuse(streamId, End.RESOURCELIMIT));
      return;
    }
    try {
      socket.socket().connect(target, CONNECT_TIMEOUT_MILLIS);
      socket.socket().setTcpNoDelay(true);
    } catch (IOException e) {
      closeQuietly(socket);
      mux.circuit().execute(() -> mux.refuse(streamId, End.CONNECTREFUSED));
      return;
    }
    mux.circuit()
        .execute(
            () -> {
              if (!mux.circuit().isOpen()) {
                closeQuietly(socket);
                return;
              }
              OnionStream stream = mux.accept(streamId);
              byte[] prefix =
                  config.exportCircuitId()
                      ? CircuitIdExport.haproxyLine(mux.circuit().globalId(), virtualPort)
                      : null;
              StreamBridge.start(stream, socket, prefix);
            });
  }

  private static void closeQuietly(SocketChannel socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // the socket is being discarded anyway
    }
  }

  @Override
  public void close() {
    connector.shutdownNow();
  }
}
