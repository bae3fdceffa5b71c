package org.oniondrop.onion.client;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.bytes.DecodeException;
import org.oniondrop.onion.cell.End;
import org.oniondrop.onion.cell.EstablishRendezvous;
import org.oniondrop.onion.cell.IntroduceAck;
import org.oniondrop.onion.cell.IntroducePlaintext;
import org.oniondrop.onion.cell.RelayCell;
import org.oniondrop.onion.cell.RelayCommand;
import org.oniondrop.onion.cell.Rendezvous2;
import org.oniondrop.onion.circuit.CircuitListener;
import org.oniondrop.onion.circuit.DirClient;
import org.oniondrop.onion.circuit.OnionStream;
import org.oniondrop.onion.circuit.OriginCircuit;
import org.oniondrop.onion.circuit.OriginNode;
import org.oniondrop.onion.circuit.PrebuiltCircuits;
import org.oniondrop.onion.circuit.StreamMux;
import org.oniondrop.onion.crypto.CryptoException;
import org.oniondrop.onion.descriptor.DescriptorException;
import org.oniondrop.onion.descriptor.HsDescriptor;
import org.oniondrop.onion.descriptor.IntroPoint;
import org.oniondrop.onion.descriptor.NetDoc;
import org.oniondrop.onion.handshake.HsNtor;
import org.oniondrop.onion.hsdir.HsDirParams;
import org.oniondrop.onion.hsdir.HsDirRing;
import org.oniondrop.onion.keys.BlindedIdentity;
import org.oniondrop.onion.keys.ClientAuthKey;
import org.oniondrop.onion.keys.HsIdentity;
import org.oniondrop.onion.keys.KeyFileException;
import org.oniondrop.onion.keys.OnionAddress;
import org.oniondrop.onion.keys.OnionAddressException;
import org.oniondrop.onion.net.Consensus;
import org.oniondrop.onion.net.OnionNetwork;
import org.oniondrop.onion.net.RelayInfo;
import org.oniondrop.onion.relaycrypto.RelayLayer;

/**
 * Connects to onion services (rend-spec-v3 §2.2.6, §3.2, §4): fetch and open the descriptor,
 * establish a rendezvous point, introduce through an introduction point (trying the others on
 * failure, and refetching a cached descriptor once if none works), complete hs-ntor, then open
 * streams on the joined circuit. Rendezvous circuits are reused for {@link #CIRCUIT_REUSE} (C tor's
 * MaxCircuitDirtiness); descriptors are cached until their lifetime ends.
 */
public final class OnionClient implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(OnionClient.class.getName());

  /** How long a rendezvous circuit takes new streams (C tor MaxCircuitDirtiness). */
  public static final Duration CIRCUIT_REUSE = Duration.ofMinutes(10);

  /** Waits for INTRODUCE_ACK, RENDEZVOUS2 and CONNECTED. */
  static final long INTRO_TIMEOUT_SECONDS = 15;

  static final long RENDEZVOUS_TIMEOUT_SECONDS = 15;
  static final long STREAM_TIMEOUT_SECONDS = 30;

  /** Client-authorization files read from a ClientOnionAuthDir at most. */
  static final int MAX_AUTH_FILES = 1024;

  /**
   * Rendezvous circuits this client keeps for reuse at once (one per service and isolation key).
   * Past it, expired and idle ones are closed; if none can go, the connection is refused rather
   * than letting SOCKS credentials (each a new isolation key) grow circuits without bound.
   */
  public static final int MAX_CIRCUITS = 256;

  /** Descriptors cached at once; past it, expired ones and then the oldest are dropped. */
  static final int MAX_DESCRIPTORS = 1024;

  /**
   * Locks serialising rendezvous per (service, isolation key): a fixed set of stripes, so the lock
   * table never grows with the addresses a client has seen.
   */
  static final int LOCK_STRIPES = 64;

  /** Two-hop circuits kept ready for a fresh connection's rendezvous and introduction circuits. */
  static final int PREBUILT_CIRCUITS = 4;

  private final OriginNode node;
  private final PrebuiltCircuits prebuilt;
  private final OnionNetwork network;
  private final SecureRandom random;
  private final Map<OnionAddress, ClientAuthKey> authKeys = new ConcurrentHashMap<>();
  private final Map<OnionAddress, CachedDescriptor> descriptors = new ConcurrentHashMap<>();
  private final Map<CircuitKey, Rendezvoused> circuits = new ConcurrentHashMap<>();
  private final Object[] locks = new Object[LOCK_STRIPES];
  private final int maxCircuits;
  private int establishing; // guarded by circuits

  /**
   * Which streams may share a rendezvous circuit: the same service and the same isolation key
   * (tor's IsolateSOCKSAuth: the SOCKS username and password; empty for none).
   */
  public record CircuitKey(OnionAddress address, String isolation) {}

  private record CachedDescriptor(
      List<IntroPoint> introPoints, byte[] subcredential, Instant expires) {}

  private record Rendezvoused(StreamMux mux, Instant created) {}

  public OnionClient(OnionNetwork network, SecureRandom random) {
    this(network, random, MAX_CIRCUITS);
  }

  /**
   * A client keeping at most {@code maxCircuits} rendezvous circuits (1..{@value #MAX_CIRCUITS}).
   */
  public OnionClient(OnionNetwork network, SecureRandom random, int maxCircuits) {
    if (maxCircuits < 1 || maxCircuits > MAX_CIRCUITS) {
      throw new IllegalArgumentException("max circuits must be 1.." + MAX_CIRCUITS);
    }
    this.maxCircuits = maxCircuits;
    this.network = network;
    this.random = random;
    this.node = new OriginNode("client", network, random);
    this.prebuilt = new PrebuiltCircuits(node, PREBUILT_CIRCUITS);
    for (int i = 0; i < LOCK_STRIPES; i++) {
      locks[i] = new Object();
    }
  }

  /** Adds a restricted-discovery key for one service. */
  public void addClientAuth(OnionAddress address, ClientAuthKey key) {
    authKeys.put(address, key);
  }

  /** Reads every {@code *.auth_private} file of a ClientOnionAuthDir. */
  public void loadClientAuthDir(Path dir) throws IOException, KeyFileException {
    int n = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.auth_private")) {
      for (Path file : files) {
        if (++n > MAX_AUTH_FILES) {
          throw new KeyFileException(dir + ": more than " + MAX_AUTH_FILES + " auth files");
        }
        ClientAuthKey.ClientCredential c = ClientAuthKey.readAuthPrivate(file);
        authKeys.put(c.address(), c.key());
      }
    }
  }

  /** Forgets cached circuits (the next connection makes a fresh rendezvous). */
  public void forgetCircuits() {
    circuits.values().forEach(r -> r.mux().circuit().execute(r.mux().circuit()::destroy));
    circuits.clear();
  }

  /** Forgets cached descriptors. */
  public void forgetDescriptors() {
    descriptors.clear();
  }

  /**
   * Opens a stream to {@code port} of the onion service {@code host} ({@code sub.<addr>.onion} is
   * accepted, as C tor does). Blocks until connected.
   */
  public OnionStream connect(String host, int port) throws OnionConnectException {
    return connect(host, port, "");
  }

  /**
   * Opens a stream as {@link #connect(String, int)}, on a rendezvous circuit shared only with
   * streams of the same {@code isolation} key (tor's IsolateSOCKSAuth: SOCKS credentials).
   */
  public OnionStream connect(String host, int port, String isolation) throws OnionConnectException {
    OnionAddress address = parseHost(host);
    StreamMux mux = rendezvousCircuit(new CircuitKey(address, isolation));
    OnionStream stream = mux.open(port);
    try {
      stream.connected().get(STREAM_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return stream;
    } catch (ExecutionException e) {
      int reason = stream.endReason();
      throw new OnionConnectException(
          reason == End.CONNECTREFUSED
              ? ConnectError.CONNECTION_REFUSED
              : ConnectError.GENERAL_FAILURE,
          "the service ended the stream (reason " + reason + ")");
    } catch (TimeoutException e) {
      stream.close(End.TIMEOUT);
      throw new OnionConnectException(ConnectError.TTL_EXPIRED, "no answer to BEGIN");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OnionConnectException(ConnectError.GENERAL_FAILURE, "interrupted");
    }
  }

  static OnionAddress parseHost(String host) throws OnionConnectException {
    String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    String[] labels = h.split("\\.");
    if (labels.length < 2 || !labels[labels.length - 1].equalsIgnoreCase("onion")) {
      throw new OnionConnectException(ConnectError.BAD_ADDRESS, "not an onion address");
    }
    try {
      return OnionAddress.parse(labels[labels.length - 2] + ".onion");
    } catch (OnionAddressException e) {
      throw new OnionConnectException(ConnectError.BAD_ADDRESS, e.getMessage());
    }
  }

  /** Rendezvous circuits kept for reuse now (tests and status). */
  public int cachedCircuits() {
    return circuits.size();
  }

  /** Descriptors cached now (tests and status). */
  public int cachedDescriptors() {
    return descriptors.size();
  }

  private StreamMux rendezvousCircuit(CircuitKey key) throws OnionConnectException {
    OnionAddress address = key.address();
    synchronized (locks[Math.floorMod(key.hashCode(), LOCK_STRIPES)]) {
      Rendezvoused existing = circuits.get(key);
      Instant now = network.clock().instant();
      if (existing != null
          && existing.mux().circuit().isOpen()
          && now.isBefore(existing.created().plus(CIRCUIT_REUSE))) {
        return existing.mux();
      }
      if (!reserveCircuit(now)) {
        throw new OnionConnectException(
            ConnectError.GENERAL_FAILURE, "too many rendezvous circuits at once");
      }
      StreamMux mux;
      try {
        try {
          mux = establish(key, false);
        } catch (OnionConnectException e) {
          if (e.error() != ConnectError.INTRODUCTION_FAILED
              && e.error() != ConnectError.INTRODUCTION_TIMED_OUT) {
            throw e;
          }
          // A cached descriptor may list intro points that are gone: fetch it again once.
          if (descriptors.remove(address) == null) {
            throw e;
          }
          mux = establish(key, true);
        }
        Rendezvoused previous = circuits.put(key, new Rendezvoused(mux, now));
        if (previous != null) {
          retire(previous);
        }
      } finally {
        synchronized (circuits) {
          establishing--;
        }
      }
      return mux;
    }
  }

  /**
   * Reserves room for one more rendezvous circuit, first dropping cached ones that expired or
   * closed (an expired one is closed once idle); false if circuits kept plus circuits being
   * established would exceed the cap.
   */
  private boolean reserveCircuit(Instant now) {
    synchronized (circuits) {
      if (circuits.size() + establishing >= maxCircuits) {
        pruneCircuits(now);
      }
      if (circuits.size() + establishing >= maxCircuits) {
        return false;
      }
      establishing++;
      return true;
    }
  }

  private void pruneCircuits(Instant now) {
    for (Map.Entry<CircuitKey, Rendezvoused> e : circuits.entrySet()) {
      Rendezvoused r = e.getValue();
      if (!r.mux().circuit().isOpen() || !now.isBefore(r.created().plus(CIRCUIT_REUSE))) {
        if (circuits.remove(e.getKey(), r)) {
          retire(r);
        }
      }
    }
  }

  /** Closes a circuit no longer offered for new streams once its streams are done. */
  private static void retire(Rendezvoused r) {
    var circuit = r.mux().circuit();
    circuit.execute(
        () -> {
          if (r.mux().openStreams() == 0) {
            circuit.destroy();
          }
        });
  }

  private StreamMux establish(CircuitKey key, boolean refetched) throws OnionConnectException {
    OnionAddress address = key.address();
    CachedDescriptor desc = descriptor(address);
    if (desc.introPoints().isEmpty()) {
      throw new OnionConnectException(
          ConnectError.INTRODUCTION_FAILED, "descriptor lists no introduction points");
    }
    Consensus consensus = network.consensus();
    RelayInfo rp = consensus.pickEndpoint(List.of(), random);
    if (rp == null) {
      throw new OnionConnectException(ConnectError.RENDEZVOUS_FAILED, "no relays");
    }
    List<IntroPoint> points = new ArrayList<>(desc.introPoints());
    Collections.shuffle(points, random);
    byte[] cookie = new byte[IntroducePlaintext.COOKIE_LENGTH];
    random.nextBytes(cookie);
    IntroducePlaintext plaintext =
        new IntroducePlaintext(cookie, List.of(), rp.ntorKey(), rp.linkSpecifiers());
    RendezvousSetup setup = new RendezvousSetup();
    // The circuit to the first introduction point is built while the rendezvous circuit is (C tor
    // launches both at once too): a fresh connection waits for the slower of the two, not both.
    CompletableFuture<OriginCircuit> rendBuild = circuitTo(rp, setup, consensus);
    IntroAttempt first = startIntroduction(points.get(0), consensus);
    // The first introduction's hs-ntor work runs here while the loop builds both circuits.
    HsNtor.ClientState firstHandshake = clientHandshake(points.get(0), desc, plaintext);
    OriginCircuit rend;
    try {
      rend = rendBuild.get();
    } catch (ExecutionException | IllegalStateException e) {
      first.abandon();
      throw new OnionConnectException(
          ConnectError.RENDEZVOUS_FAILED, "no circuit to a rendezvous point");
    } catch (InterruptedException e) {
      first.abandon();
      Thread.currentThread().interrupt();
      throw new OnionConnectException(ConnectError.GENERAL_FAILURE, "interrupted");
    }
    ByteWriter w = new ByteWriter(20);
    new EstablishRendezvous(cookie).encode(w);
    rend.execute(
        () ->
            rend.sendToLast(new RelayCell(RelayCommand.ESTABLISH_RENDEZVOUS, 0, w.toByteArray())));
    try {
      await(
          setup.established,
          RENDEZVOUS_TIMEOUT_SECONDS,
          ConnectError.RENDEZVOUS_FAILED,
          "rendezvous point did not answer",
          rend);
    } catch (OnionConnectException e) {
      first.abandon();
      throw e;
    }

    boolean timedOut = false;
    HsNtor.ClientState handshake = null;
    for (int i = 0; i < points.size(); i++) {
      IntroAttempt attempt = i == 0 ? first : startIntroduction(points.get(i), consensus);
      try {
        handshake =
            introduce(
                attempt, i == 0 ? firstHandshake : clientHandshake(points.get(i), desc, plaintext));
        break;
      } catch (OnionConnectException e) {
        timedOut |= e.error() == ConnectError.INTRODUCTION_TIMED_OUT;
      }
    }
    if (handshake == null) {
      rend.execute(rend::destroy);
      throw new OnionConnectException(
          timedOut ? ConnectError.INTRODUCTION_TIMED_OUT : ConnectError.INTRODUCTION_FAILED,
          "no introduction point accepted the introduction"
              + (refetched ? " after refetching" : ""));
    }
    byte[] handshakeInfo =
        await(
            setup.rendezvous2,
            RENDEZVOUS_TIMEOUT_SECONDS,
            ConnectError.RENDEZVOUS_FAILED,
            "no RENDEZVOUS2",
            rend);
    byte[] keys;
    try {
      keys = handshake.complete(handshakeInfo);
    } catch (CryptoException e) {
      rend.execute(rend::destroy);
      throw new OnionConnectException(
          ConnectError.RENDEZVOUS_FAILED, "rendezvous handshake failed");
    }
    CompletableFuture<StreamMux> ready = new CompletableFuture<>();
    rend.execute(
        () -> {
          rend.addVirtualHop(keys, RelayLayer.Side.ORIGIN);
          StreamMux mux =
              new StreamMux(
                  rend,
                  null,
                  m -> circuits.computeIfPresent(key, (k, v) -> v.mux() == m ? null : v));
          rend.listener(mux);
          ready.complete(mux);
        });
    return ready.join();
  }

  /** An introduction circuit being built, and the INTRODUCE_ACK it will carry. */
  private record IntroAttempt(
      IntroPoint point, CompletableFuture<OriginCircuit> circuit, CompletableFuture<byte[]> ack) {

    /** Closes the circuit once built, when the attempt is not used. */
    void abandon() {
      circuit.thenAccept(c -> c.execute(c::destroy));
    }
  }

  /** Starts building a circuit to {@code point}; the attempt fails if it is not listed. */
  private IntroAttempt startIntroduction(IntroPoint point, Consensus consensus) {
    CompletableFuture<byte[]> ack = new CompletableFuture<>();
    RelayInfo relay = consensus.find(point.linkSpecifiers()).orElse(null);
    if (relay == null) {
      return new IntroAttempt(
          point,
          CompletableFuture.failedFuture(new IOException("introduction point not listed")),
          ack);
    }
    CircuitListener listener =
        new CircuitListener() {
          @Override
          public void onRelayCell(OriginCircuit c, int hop, RelayCell cell, byte[] digest) {
            if (cell.command() == RelayCommand.INTRODUCE_ACK) {
              ack.complete(cell.data());
            }
          }

          @Override
          public void onDestroyed(OriginCircuit c) {
            ack.completeExceptionally(new IOException("introduction circuit closed"));
          }
        };
    return new IntroAttempt(point, circuitTo(relay, listener, consensus), ack);
  }

  /**
   * A three-hop circuit ending at {@code last}: a prebuilt two-hop circuit extended to it (one
   * round trip), or, if none is ready or the extension fails, a freshly built one.
   */
  private CompletableFuture<OriginCircuit> circuitTo(
      RelayInfo last, CircuitListener listener, Consensus consensus) {
    return prebuilt
        .extendTo(last)
        .thenApply(
            c -> {
              c.listener(listener);
              return c;
            })
        .exceptionallyCompose(
            e -> node.build(consensus.path(3, last, List.of(), random), listener));
  }

  /** The hs-ntor client side for {@code point}, or null if its keys are invalid. */
  private HsNtor.ClientState clientHandshake(
      IntroPoint point, CachedDescriptor desc, IntroducePlaintext plaintext) {
    try {
      return HsNtor.client(
          point.authKey(), point.encKey(), desc.subcredential(), plaintext, random);
    } catch (CryptoException e) {
      return null;
    }
  }

  private HsNtor.ClientState introduce(IntroAttempt attempt, HsNtor.ClientState state)
      throws OnionConnectException {
    CompletableFuture<byte[]> ack = attempt.ack();
    OriginCircuit circuit;
    try {
      circuit = attempt.circuit().get();
    } catch (ExecutionException | IllegalStateException e) {
      throw new OnionConnectException(
          ConnectError.INTRODUCTION_FAILED, "no circuit to the introduction point");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OnionConnectException(ConnectError.GENERAL_FAILURE, "interrupted");
    }
    if (state == null) {
      circuit.execute(circuit::destroy);
      throw new OnionConnectException(
          ConnectError.DESCRIPTOR_INVALID, "introduction point key is invalid");
    }
    byte[] body = state.introduce1().toBytes();
    circuit.execute(() -> circuit.sendToLast(new RelayCell(RelayCommand.INTRODUCE1, 0, body)));
    try {
      byte[] data =
          await(
              ack,
              INTRO_TIMEOUT_SECONDS,
              ConnectError.INTRODUCTION_TIMED_OUT,
              "no INTRODUCE_ACK",
              circuit);
      int status = IntroduceAck.decode(ByteReader.of(data)).status();
      if (status != IntroduceAck.SUCCESS) {
        throw new OnionConnectException(
            ConnectError.INTRODUCTION_FAILED, "introduction refused, status " + status);
      }
      return state;
    } catch (DecodeException e) {
      throw new OnionConnectException(ConnectError.INTRODUCTION_FAILED, "malformed INTRODUCE_ACK");
    } finally {
      circuit.execute(circuit::destroy);
    }
  }

  private CachedDescriptor descriptor(OnionAddress address) throws OnionConnectException {
    Instant now = network.clock().instant();
    CachedDescriptor cached = descriptors.get(address);
    if (cached != null && now.isBefore(cached.expires())) {
      return cached;
    }
    Consensus consensus = network.consensus();
    HsDirParams.PeriodAndSrv pair =
        consensus
            .params()
            .forClient(consensus.validAfter(), consensus.currentSrv(), consensus.previousSrv());
    byte[] blinded;
    try {
      blinded = HsIdentity.blindedPublicKey(address.publicKey(), pair.period());
    } catch (CryptoException e) {
      throw new OnionConnectException(ConnectError.BAD_ADDRESS, "address key cannot be blinded");
    }
    byte[] subcredential = BlindedIdentity.subcredential(address.publicKey(), blinded);
    List<HsDirRing.Node<RelayInfo>> hsdirs =
        new ArrayList<>(
            HsDirRing.responsible(
                consensus.hsDirRing(), blinded, pair.period(), pair.srv(), HsDirRing.SPREAD_FETCH));
    Collections.shuffle(hsdirs, random);
    ClientAuthKey authKey = authKeys.get(address);
    OnionConnectException last =
        new OnionConnectException(ConnectError.DESCRIPTOR_NOT_FOUND, "no HSDir has the descriptor");
    for (HsDirRing.Node<RelayInfo> hsdir : hsdirs) {
      DirClient.Response response;
      try {
        response =
            DirClient.get(
                    node,
                    consensus.path(3, hsdir.handle(), List.of(), random),
                    "/tor/hs/3/" + NetDoc.base64NoPad(blinded))
                .get();
      } catch (ExecutionException | IllegalStateException e) {
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new OnionConnectException(ConnectError.GENERAL_FAILURE, "interrupted");
      }
      if (response.status() != 200) {
        continue;
      }
      try {
        String text = new String(response.body(), java.nio.charset.StandardCharsets.US_ASCII);
        HsDescriptor.Opened opened = HsDescriptor.open(text, blinded, subcredential, authKey, now);
        CachedDescriptor fresh =
            new CachedDescriptor(
                opened.inner().introPoints(),
                subcredential,
                now.plus(Duration.ofMinutes(opened.outer().lifetimeMinutes())));
        cacheDescriptor(address, fresh, now);
        return fresh;
      } catch (DescriptorException e) {
        last = new OnionConnectException(map(e.reason()), "descriptor refused: " + e.getMessage());
        if (e.reason() == DescriptorException.Reason.CLIENT_AUTH_MISSING
            || e.reason() == DescriptorException.Reason.CLIENT_AUTH_WRONG) {
          break;
        }
      }
    }
    LOG.fine(() -> "descriptor fetch failed");
    throw last;
  }

  private void cacheDescriptor(OnionAddress address, CachedDescriptor fresh, Instant now) {
    if (descriptors.size() >= MAX_DESCRIPTORS && !descriptors.containsKey(address)) {
      descriptors.entrySet().removeIf(e -> !now.isBefore(e.getValue().expires()));
      var it = descriptors.keySet().iterator();
      while (descriptors.size() >= MAX_DESCRIPTORS && it.hasNext()) {
        it.next();
        it.remove();
      }
    }
    descriptors.put(address, fresh);
  }

  private static ConnectError map(DescriptorException.Reason reason) {
    return switch (reason) {
      case CLIENT_AUTH_MISSING -> ConnectError.CLIENT_AUTH_MISSING;
      case CLIENT_AUTH_WRONG -> ConnectError.CLIENT_AUTH_WRONG;
      default -> ConnectError.DESCRIPTOR_INVALID;
    };
  }

  private static <T> T await(
      CompletableFuture<T> future,
      long seconds,
      ConnectError error,
      String message,
      OriginCircuit circuit)
      throws OnionConnectException {
    try {
      return future.get(seconds, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      circuit.execute(circuit::destroy);
      throw new OnionConnectException(error, message);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OnionConnectException(ConnectError.GENERAL_FAILURE, "interrupted");
    }
  }

  /** Collects RENDEZVOUS_ESTABLISHED and RENDEZVOUS2 on the rendezvous circuit. */
  private static final class RendezvousSetup implements CircuitListener {
    final CompletableFuture<Boolean> established = new CompletableFuture<>();
    final CompletableFuture<byte[]> rendezvous2 = new CompletableFuture<>();

    @Override
    public void onRelayCell(OriginCircuit c, int hop, RelayCell cell, byte[] digest) {
      if (cell.command() == RelayCommand.RENDEZVOUS_ESTABLISHED) {
        established.complete(true);
      } else if (cell.command() == RelayCommand.RENDEZVOUS2) {
        rendezvous2.complete(Rendezvous2.decode(ByteReader.of(cell.data())).handshakeInfo());
      }
    }

    @Override
    public void onDestroyed(OriginCircuit c) {
      IOException closed = new IOException("rendezvous circuit closed");
      established.completeExceptionally(closed);
      rendezvous2.completeExceptionally(closed);
    }
  }

  @Override
  public void close() {
    prebuilt.close();
    node.close();
  }
}
