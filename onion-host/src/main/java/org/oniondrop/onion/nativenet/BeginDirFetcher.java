package org.oniondrop.onion.nativenet;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.oniondrop.onion.cell.Cell;
import org.oniondrop.onion.dir.DirException;
import org.oniondrop.onion.dir.FallbackDir;
import org.oniondrop.onion.dir.OrPortFetcher;
import org.oniondrop.onion.link.LinkException;
import org.oniondrop.onion.link.LinkTarget;
import org.oniondrop.onion.link.TlsChannel;
import org.oniondrop.onion.net.CellHandler;
import org.oniondrop.onion.net.Channel;
import org.oniondrop.onion.net.Node;
import org.oniondrop.onion.net.NodeLoop;

/**
 * Directory fetches from a fallback's ORPort: a TLS link whose certificates are checked against the
 * fallback's RSA fingerprint (its Ed25519 identity is not known before a consensus), a CREATE_FAST
 * one-hop circuit and BEGIN_DIR ({@link OneHopDirCircuit}), one link per request.
 */
public final class BeginDirFetcher implements OrPortFetcher {

  /** One whole request, link handshake included (a public consensus is ~3 MB). */
  public static final Duration FETCH_TIMEOUT = Duration.ofSeconds(60);

  /** The circuit id we use on our own fresh link (initiator: top bit set, tor-spec §4.1). */
  static final long CIRC_ID = 0x80000001L;

  private final Clock clock;
  private final SecureRandom random;

  public BeginDirFetcher(Clock clock, SecureRandom random) {
    this.clock = clock;
    this.random = random;
  }

  @Override
  public String get(FallbackDir fallback, String path, int maxBytes) throws DirException {
    String what = fallback + path;
    LinkTarget target =
        new LinkTarget(
            "fallback-" + fallback.fingerprintHex().substring(0, 8),
            fallback.ipv4(),
            fallback.orPort(),
            fallback.fingerprint(),
            fallback.ed25519Id());
    TlsChannel channel;
    try {
      channel = TlsChannel.open(target, clock, NativeNetwork.LINK_TIMEOUT);
    } catch (LinkException e) {
      throw new DirException(what + ": link refused: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new DirException(
          what + ": unreachable: " + e.getClass().getSimpleName() + " " + e.getMessage(), e);
    }
    OneHopDirCircuit circuit = new OneHopDirCircuit(CIRC_ID, path, maxBytes, random);
    CompletableFuture<String> result = new CompletableFuture<>();
    NodeLoop loop = new NodeLoop("dirfetch-" + target.nickname());
    Node node =
        new Node() {
          private final CellHandler handler =
              new CellHandler() {
                @Override
                public void onCell(Channel ch, Cell cell) {
                  if (result.isDone()) {
                    return;
                  }
                  try {
                    List<Cell> out = circuit.onCell(cell);
                    out.forEach(ch::send);
                    if (circuit.done()) {
                      result.complete(circuit.body());
                    }
                  } catch (DirException e) {
                    result.completeExceptionally(new DirException(what + ": " + e.getMessage()));
                  }
                }

                @Override
                public void onClose(Channel ch) {
                  result.completeExceptionally(
                      new DirException(what + ": the relay closed the link"));
                }
              };

          @Override
          public String name() {
            return loop.name();
          }

          @Override
          public NodeLoop loop() {
            return loop;
          }

          @Override
          public CellHandler handler() {
            return handler;
          }
        };
    try {
      channel.start(node, c -> {}); // the channel tells node.handler() itself
      loop.execute(() -> channel.send(circuit.start()));
      return result.get(FETCH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof DirException d) {
        throw d;
      }
      throw new DirException(what + ": " + e.getCause().getClass().getSimpleName(), e);
    } catch (TimeoutException e) {
      throw new DirException(what + ": no answer within " + FETCH_TIMEOUT.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DirException(what + ": interrupted");
    } finally {
      channel.send(circuit.destroy());
      channel.close();
      loop.close();
    }
  }
}
