package org.oniondrop.onion.service;

import java.security.SecureRandom;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.bytes.DecodeException;
import org.oniondrop.onion.cell.Introduce1;
import org.oniondrop.onion.cell.RelayCell;
import org.oniondrop.onion.cell.RelayCommand;
import org.oniondrop.onion.cell.Rendezvous1;
import org.oniondrop.onion.circuit.OriginNode;
import org.oniondrop.onion.circuit.PrebuiltCircuits;
import org.oniondrop.onion.circuit.StreamMux;
import org.oniondrop.onion.crypto.CryptoException;
import org.oniondrop.onion.handshake.HsNtor;
import org.oniondrop.onion.net.Consensus;
import org.oniondrop.onion.net.OnionNetwork;
import org.oniondrop.onion.net.RelayInfo;
import org.oniondrop.onion.relaycrypto.RelayLayer;

/**
 * Answers introductions (rend-spec-v3 §3.3, §4.2; Arti's rend_handshake): decrypts an INTRODUCE2
 * with hs-ntor under each live subcredential, builds a circuit to the client's rendezvous point,
 * sends RENDEZVOUS1 and adds the virtual hop, then lets a {@link StreamMux} take the circuit's
 * streams. At most {@link ServiceLimits#maxRendezvousCircuits()} rendezvous circuits exist at once
 * (built or being built); an introduction beyond that is dropped before any public-key work, so an
 * introduction flood costs the service neither CPU nor circuits past the cap. Runs on the service's
 * loop.
 */
final class RendezvousHandler implements IntroPointManager.IntroductionHandler {

  private static final Logger LOG = Logger.getLogger(RendezvousHandler.class.getName());

  /** Attempts to reach a rendezvous point per introduction (C tor hs_service_max_rdv_failures). */
  static final int MAX_RENDEZVOUS_ATTEMPTS = 2;

  /** Two-hop circuits kept ready to extend to a client's rendezvous point. */
  static final int PREBUILT_CIRCUITS = 2;

  private final OriginNode node;
  private final PrebuiltCircuits prebuilt;
  private final OnionNetwork network;
  private final ServiceLimits limits;
  private final SecureRandom random;
  private final StreamMux.BeginHandler begins;
  private final Supplier<byte[][]> subcredentials;
  private int circuits;
  private int dropped;

  RendezvousHandler(
      OriginNode node,
      OnionNetwork network,
      ServiceLimits limits,
      SecureRandom random,
      StreamMux.BeginHandler begins,
      Supplier<byte[][]> subcredentials) {
    this.node = node;
    this.prebuilt = new PrebuiltCircuits(node, PREBUILT_CIRCUITS);
    this.network = network;
    this.limits = limits;
    this.random = random;
    this.begins = begins;
    this.subcredentials = subcredentials;
  }

  /** Rendezvous circuits open or being built. */
  int circuits() {
    return circuits;
  }

  /** Introductions dropped at the circuit cap. */
  int dropped() {
    return dropped;
  }

  /** Starts building the prebuilt circuits (when the service starts). */
  void prebuild() {
    prebuilt.refill();
  }

  /** Destroys the prebuilt circuits (when the service closes). */
  void close() {
    prebuilt.close();
  }

  @Override
  public void onIntroduce2(ServiceIntroPoint point, Introduce1 cell) {
    if (circuits >= limits.maxRendezvousCircuits()) {
      dropped++;
      LOG.fine("introduction dropped: rendezvous circuit cap reached");
      return;
    }
    HsNtor.ServiceResult result;
    try {
      result = HsNtor.service(cell, point.encKey, subcredentials.get(), random);
    } catch (CryptoException | DecodeException e) {
      return;
    }
    Consensus consensus = network.consensus();
    RelayInfo listed = consensus.find(result.plaintext().linkSpecifiers()).orElse(null);
    if (listed == null) {
      return;
    }
    // Use the onion key the client gave, verbatim: a wrong one just fails the handshake.
    RelayInfo rp = listed.withNtorKey(result.plaintext().onionKey());
    circuits++;
    rendezvous(rp, result, consensus, 1);
  }

  private void rendezvous(
      RelayInfo rp, HsNtor.ServiceResult result, Consensus consensus, int attempt) {
    // A prebuilt circuit extended to the rendezvous point (C tor cannibalizes one too) on the first
    // attempt; a fresh three-hop build if none is ready, and on the retry.
    java.util.concurrent.CompletableFuture<org.oniondrop.onion.circuit.OriginCircuit> build =
        attempt == 1
            ? prebuilt
                .extendTo(rp)
                .exceptionallyCompose(
                    e -> node.build(consensus.path(3, rp, List.of(), random), null))
            : node.build(consensus.path(3, rp, List.of(), random), null);
    build.whenComplete(
        (circuit, error) -> {
          if (error != null) {
            node.loop()
                .execute(
                    () -> {
                      if (attempt < MAX_RENDEZVOUS_ATTEMPTS) {
                        rendezvous(rp, result, network.consensus(), attempt + 1);
                      } else {
                        circuits--;
                      }
                    });
            return;
          }
          circuit.execute(
              () -> {
                StreamMux mux =
                    new StreamMux(circuit, begins, m -> circuits--, limits.maxStreamsPerCircuit());
                circuit.listener(mux);
                if (!circuit.isOpen()) {
                  circuits--;
                  return;
                }
                ByteWriter w = new ByteWriter(90);
                new Rendezvous1(result.plaintext().rendezvousCookie(), result.handshakeInfo())
                    .encode(w);
                circuit.sendToLast(new RelayCell(RelayCommand.RENDEZVOUS1, 0, w.toByteArray()));
                circuit.addVirtualHop(result.keyMaterial(), RelayLayer.Side.RESPONDER);
              });
        });
  }
}
