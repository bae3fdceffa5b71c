package org.oniondrop.onion.embedded;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.bytes.DecodeException;
import org.oniondrop.onion.cell.Cell;
import org.oniondrop.onion.cell.Connected;
import org.oniondrop.onion.cell.Create2;
import org.oniondrop.onion.cell.Created2;
import org.oniondrop.onion.cell.End;
import org.oniondrop.onion.cell.EstablishIntro;
import org.oniondrop.onion.cell.EstablishRendezvous;
import org.oniondrop.onion.cell.Extend2;
import org.oniondrop.onion.cell.IntroEstablished;
import org.oniondrop.onion.cell.Introduce1;
import org.oniondrop.onion.cell.IntroduceAck;
import org.oniondrop.onion.cell.RelayCell;
import org.oniondrop.onion.cell.RelayCommand;
import org.oniondrop.onion.cell.Rendezvous1;
import org.oniondrop.onion.cell.Rendezvous2;
import org.oniondrop.onion.crypto.CryptoException;
import org.oniondrop.onion.crypto.HsCrypto;
import org.oniondrop.onion.descriptor.NetDoc;
import org.oniondrop.onion.handshake.Ntor;
import org.oniondrop.onion.handshake.X25519Keys;
import org.oniondrop.onion.net.CellHandler;
import org.oniondrop.onion.net.Channel;
import org.oniondrop.onion.net.CircuitIds;
import org.oniondrop.onion.net.Node;
import org.oniondrop.onion.net.NodeLoop;
import org.oniondrop.onion.net.RelayInfo;
import org.oniondrop.onion.relaycrypto.RelayLayer;

/**
 * An in-process relay: answers CREATE2 with ntor, extends circuits with EXTEND2 (only in
 * RELAY_EARLY, at most {@value #MAX_RELAY_EARLY}), and acts as HSDir, introduction point and
 * rendezvous point. A malformed or unexpected cell tears down its circuit only.
 */
final class Relay implements Node, CellHandler {

  private static final Logger LOG = Logger.getLogger(Relay.class.getName());

  /** DESTROY reason RESOURCELIMIT (tor-spec §5.4). */
  private static final byte RESOURCE_LIMIT = 5;

  /** tor-spec §5.6: a relay closes a circuit after more RELAY_EARLY cells than this. */
  static final int MAX_RELAY_EARLY = 8;

  /** A directory request (an upload) larger than this is refused. */
  static final int MAX_DIR_REQUEST_BYTES = NetDoc.MAX_DOCUMENT_BYTES + 1024;

  /** INTRODUCE2 rate and burst per intro circuit: C tor's hs_intro_dos defaults. */
  static final int INTRO_RATE_PER_SECOND = 25;

  static final int INTRO_BURST = 200;

  /** INTRODUCE1 replay cache size (entries are 32-byte hashes). */
  static final int REPLAY_CACHE_MAX = 100_000;

  private final RelayInfo info;
  private final X25519Keys ntorKeys;
  private final NodeLoop loop;
  private final java.util.concurrent.Executor handshakes;
  private final EmbeddedNetwork network;
  private final SecureRandom random;
  private final Clock clock;
  private final HsDirCache hsDir;
  private final AtomicInteger refuseUploads = new AtomicInteger();
  private final AtomicInteger acceptedUploads = new AtomicInteger();
  private final CircuitIds ids = new CircuitIds();

  private final Map<Channel, Map<Long, Hop>> byPrev = new HashMap<>();
  private final Map<Channel, Map<Long, Hop>> byNext = new HashMap<>();

  /**
   * CREATE2 cells whose handshake a worker is running, by channel: their ids are taken. Each maps
   * to a token of its own, so that a worker's answer for an id that was destroyed and then reused
   * by a new CREATE2 is not taken for the new one's.
   */
  private final Map<Channel, Map<Long, Object>> creating = new HashMap<>();

  private final Map<ByteBuffer, Hop> introPoints = new HashMap<>();
  private final Map<ByteBuffer, Hop> rendezvous = new HashMap<>();
  private final LinkedHashSet<ByteBuffer> introduceReplay = new LinkedHashSet<>();

  /** One circuit through this relay. */
  private final class Hop {
    final Channel prev;
    final long prevId;
    final RelayLayer layer;
    final byte[] kh;
    Channel next;
    long nextId;
    int early;
    ByteBuffer introKey;
    ByteBuffer cookie;
    Hop spliced;
    TokenBucket bucket;
    final Map<Integer, DirStream> dirStreams = new HashMap<>();

    Hop(Channel prev, long prevId, RelayLayer layer, byte[] kh) {
      this.prev = prev;
      this.prevId = prevId;
      this.layer = layer;
      this.kh = kh;
    }
  }

  /** A BEGIN_DIR stream collecting an HTTP request. */
  private static final class DirStream {
    final ByteWriter request = new ByteWriter(1024);
    boolean done;
  }

  /** Set (on the loop) when the relay stops: cells still queued for it are then ignored. */
  private boolean stopped;

  Relay(
      RelayInfo info,
      X25519Keys ntorKeys,
      NodeLoop loop,
      java.util.concurrent.Executor handshakes,
      EmbeddedNetwork network,
      SecureRandom random,
      Clock clock) {
    this.info = info;
    this.handshakes = handshakes;
    this.ntorKeys = ntorKeys;
    this.network = network;
    this.random = random;
    this.clock = clock;
    this.loop = loop;
    this.hsDir = new HsDirCache(clock);
  }

  RelayInfo info() {
    return info;
  }

  @Override
  public String name() {
    return info.nickname();
  }

  @Override
  public NodeLoop loop() {
    return loop;
  }

  @Override
  public CellHandler handler() {
    return this;
  }

  int storedDescriptors() {
    return loop.call(hsDir::size).join();
  }

  /** Circuits this relay holds a hop of, or whose CREATE2 handshake is running (tests). */
  int circuits() {
    return loop.call(
            () ->
                byPrev.values().stream().mapToInt(Map::size).sum()
                    + creating.values().stream().mapToInt(Map::size).sum())
        .join();
  }

  int introCircuits() {
    return loop.call(introPoints::size).join();
  }

  // ---- channel events ----

  @Override
  public void onCell(Channel channel, Cell cell) {
    if (stopped) {
      return;
    }
    switch (cell.command()) {
      case Cell.CREATE2 -> onCreate2(channel, cell);
      case Cell.CREATED2 -> onCreated2(channel, cell);
      case Cell.RELAY, Cell.RELAY_EARLY -> onRelay(channel, cell);
      case Cell.DESTROY -> onDestroy(channel, cell.circId());
      default -> {
        // PADDING, VPADDING and unknown cells are ignored.
      }
    }
  }

  @Override
  public void onClose(Channel channel) {
    List<Hop> affected = new ArrayList<>();
    affected.addAll(byPrev.getOrDefault(channel, Map.of()).values());
    affected.addAll(byNext.getOrDefault(channel, Map.of()).values());
    for (Hop hop : affected) {
      teardown(hop, channel);
    }
    byPrev.remove(channel);
    byNext.remove(channel);
    creating.remove(channel);
    ids.forget(channel);
  }

  /**
   * Checks a CREATE2 on the loop, runs its ntor handshake on a worker (C tor's cpuworker), and
   * answers back on the loop ({@link #created}). Its circuit id stays taken meanwhile; a DESTROY or
   * a closed channel before the answer drops the result.
   */
  private void onCreate2(Channel channel, Cell cell) {
    long id = cell.circId();
    if (byPrev.getOrDefault(channel, Map.of()).containsKey(id)
        || creating.getOrDefault(channel, Map.of()).containsKey(id)) {
      channel.send(Cell.fixed(id, Cell.DESTROY, new byte[] {1}));
      return;
    }
    Create2 create;
    try {
      create = Create2.decode(ByteReader.of(cell.payload()));
    } catch (DecodeException e) {
      channel.send(Cell.fixed(id, Cell.DESTROY, new byte[] {1}));
      return;
    }
    if (create.handshakeType() != Create2.HTYPE_NTOR) {
      channel.send(Cell.fixed(id, Cell.DESTROY, new byte[] {1}));
      return;
    }
    Object token = new Object();
    creating.computeIfAbsent(channel, c -> new HashMap<>()).put(id, token);
    try {
      handshakes.execute(
          () -> {
            Ntor.ServerResult result;
            try {
              result = Ntor.server(create.handshakeData(), info.rsaId(), ntorKeys, random);
            } catch (CryptoException e) {
              result = null;
            }
            Ntor.ServerResult done = result;
            loop.execute(() -> created(channel, id, token, done));
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      creating.get(channel).remove(id);
      channel.send(Cell.fixed(id, Cell.DESTROY, new byte[] {RESOURCE_LIMIT}));
    }
  }

  /**
   * A worker's handshake result for the CREATE2 of circuit {@code id} that got {@code token} (null:
   * the client's key was invalid).
   */
  private void created(Channel channel, long id, Object token, Ntor.ServerResult result) {
    Map<Long, Object> pending = creating.get(channel);
    if (stopped || pending == null || !pending.remove(id, token)) {
      return; // destroyed (its id maybe reused since), or its channel closed, while the worker ran
    }
    if (pending.isEmpty()) {
      creating.remove(channel);
    }
    if (result == null) {
      channel.send(Cell.fixed(id, Cell.DESTROY, new byte[] {1}));
      return;
    }
    byte[] keys = result.keyMaterial();
    Hop hop =
        new Hop(
            channel,
            id,
            RelayLayer.tor1(keys, RelayLayer.Side.RESPONDER),
            java.util.Arrays.copyOfRange(keys, 72, 92));
    byPrev.computeIfAbsent(channel, c -> new HashMap<>()).put(id, hop);
    ByteWriter w = new ByteWriter(70);
    new Created2(result.reply()).encode(w);
    channel.send(Cell.fixed(id, Cell.CREATED2, w.toByteArray()));
  }

  private void onCreated2(Channel channel, Cell cell) {
    Hop hop = byNext.getOrDefault(channel, Map.of()).get(cell.circId());
    if (hop == null) {
      return;
    }
    try {
      Created2 created = Created2.decode(ByteReader.of(cell.payload()));
      ByteWriter w = new ByteWriter(70);
      created.encode(w);
      sendBack(hop, new RelayCell(RelayCommand.EXTENDED2, 0, w.toByteArray()));
    } catch (DecodeException e) {
      destroy(hop);
    }
  }

  private void onRelay(Channel channel, Cell cell) {
    byte[] body = cell.payload().clone();
    Hop forward = byPrev.getOrDefault(channel, Map.of()).get(cell.circId());
    if (forward != null) {
      if (cell.command() == Cell.RELAY_EARLY && ++forward.early > MAX_RELAY_EARLY) {
        destroy(forward);
        return;
      }
      forward.layer.decrypt(body);
      if (forward.layer.recognize(body) != null) {
        try {
          onRelayMessage(forward, RelayCell.decode(body), cell.command() == Cell.RELAY_EARLY);
        } catch (DecodeException e) {
          destroy(forward);
        }
      } else if (forward.next != null) {
        forward.next.send(new Cell(forward.nextId, cell.command(), body));
      } else if (forward.spliced != null) {
        Hop other = forward.spliced;
        other.layer.encrypt(body);
        other.prev.send(new Cell(other.prevId, Cell.RELAY, body));
      } else {
        destroy(forward);
      }
      return;
    }
    Hop backward = byNext.getOrDefault(channel, Map.of()).get(cell.circId());
    if (backward != null && cell.command() == Cell.RELAY) {
      backward.layer.encrypt(body);
      backward.prev.send(new Cell(backward.prevId, Cell.RELAY, body));
    }
  }

  private void onDestroy(Channel channel, long circId) {
    Map<Long, Object> pending = creating.get(channel);
    if (pending != null && pending.remove(circId) != null) {
      return; // its handshake's result is dropped when it comes back
    }
    Hop hop = byPrev.getOrDefault(channel, Map.of()).get(circId);
    if (hop == null) {
      hop = byNext.getOrDefault(channel, Map.of()).get(circId);
    }
    if (hop != null) {
      teardown(hop, channel);
    }
  }

  // ---- relay messages addressed to this hop ----

  private void onRelayMessage(Hop hop, RelayCell rc, boolean early) throws DecodeException {
    ByteReader r = ByteReader.of(rc.data());
    switch (rc.command()) {
      case RelayCommand.EXTEND2 -> extend(hop, Extend2.decode(r), early);
      case RelayCommand.ESTABLISH_INTRO -> establishIntro(hop, EstablishIntro.decode(r));
      case RelayCommand.INTRODUCE1 -> introduce1(hop, rc.data());
      case RelayCommand.ESTABLISH_RENDEZVOUS ->
          establishRendezvous(hop, EstablishRendezvous.decode(r));
      case RelayCommand.RENDEZVOUS1 -> rendezvous1(hop, Rendezvous1.decode(r));
      case RelayCommand.BEGIN_DIR -> beginDir(hop, rc.streamId());
      case RelayCommand.DATA -> dirData(hop, rc.streamId(), rc.data());
      case RelayCommand.END -> hop.dirStreams.remove(rc.streamId());
      default -> {
        // SENDME, DROP and others need nothing from a relay here.
      }
    }
  }

  private void extend(Hop hop, Extend2 extend, boolean early) {
    if (!early || hop.next != null || hop.spliced != null) {
      destroy(hop);
      return;
    }
    Optional<RelayInfo> target = network.consensus().find(extend.linkSpecifiers());
    if (target.isEmpty()) {
      destroy(hop);
      return;
    }
    Channel channel;
    try {
      channel = network.connect(this, target.get());
    } catch (IOException e) {
      destroy(hop);
      return;
    }
    long id = ids.allocate(channel);
    hop.next = channel;
    hop.nextId = id;
    byNext.computeIfAbsent(channel, c -> new HashMap<>()).put(id, hop);
    ByteWriter w = new ByteWriter(90);
    extend.create().encode(w);
    channel.send(Cell.fixed(id, Cell.CREATE2, w.toByteArray()));
  }

  private void establishIntro(Hop hop, EstablishIntro cell) {
    if (!cell.verify(hop.kh)) {
      // A bad MAC or signature: refuse by closing this circuit (C tor hs_intropoint.c).
      destroy(hop);
      return;
    }
    ByteBuffer key = ByteBuffer.wrap(cell.authKey());
    Hop old = introPoints.put(key, hop);
    if (old != null && old != hop) {
      old.introKey = null;
    }
    hop.introKey = key;
    hop.bucket = new TokenBucket(INTRO_RATE_PER_SECOND, INTRO_BURST, clock);
    ByteWriter w = new ByteWriter(4);
    new IntroEstablished(List.of()).encode(w);
    sendBack(hop, new RelayCell(RelayCommand.INTRO_ESTABLISHED, 0, w.toByteArray()));
  }

  private void introduce1(Hop client, byte[] body) {
    Introduce1 cell;
    try {
      cell = Introduce1.decode(ByteReader.of(body));
    } catch (DecodeException e) {
      ack(client, IntroduceAck.BAD_FORMAT);
      return;
    }
    Hop service = introPoints.get(ByteBuffer.wrap(cell.authKey()));
    if (service == null) {
      ack(client, IntroduceAck.UNKNOWN_SERVICE);
      return;
    }
    ByteBuffer fingerprint = ByteBuffer.wrap(HsCrypto.sha3(cell.encrypted()));
    if (!introduceReplay.add(fingerprint)) {
      ack(client, IntroduceAck.BAD_FORMAT);
      return;
    }
    if (introduceReplay.size() > REPLAY_CACHE_MAX) {
      Iterator<ByteBuffer> oldest = introduceReplay.iterator();
      oldest.next();
      oldest.remove();
    }
    if (!service.bucket.tryTake()) {
      ack(client, IntroduceAck.CANT_RELAY);
      return;
    }
    sendBack(service, new RelayCell(RelayCommand.INTRODUCE2, 0, body));
    ack(client, IntroduceAck.SUCCESS);
  }

  private void ack(Hop hop, int status) {
    ByteWriter w = new ByteWriter(4);
    new IntroduceAck(status, List.of()).encode(w);
    sendBack(hop, new RelayCell(RelayCommand.INTRODUCE_ACK, 0, w.toByteArray()));
  }

  private void establishRendezvous(Hop hop, EstablishRendezvous cell) {
    ByteBuffer cookie = ByteBuffer.wrap(cell.cookie());
    if (hop.cookie != null || rendezvous.containsKey(cookie)) {
      destroy(hop);
      return;
    }
    rendezvous.put(cookie, hop);
    hop.cookie = cookie;
    sendBack(hop, new RelayCell(RelayCommand.RENDEZVOUS_ESTABLISHED, 0, new byte[0]));
  }

  private void rendezvous1(Hop service, Rendezvous1 cell) {
    Hop client = rendezvous.remove(ByteBuffer.wrap(cell.cookie()));
    if (client == null || service.spliced != null || service.next != null) {
      destroy(service);
      return;
    }
    client.cookie = null;
    ByteWriter w = new ByteWriter(70);
    new Rendezvous2(cell.handshakeInfo()).encode(w);
    sendBack(client, new RelayCell(RelayCommand.RENDEZVOUS2, 0, w.toByteArray()));
    client.spliced = service;
    service.spliced = client;
  }

  // ---- HSDir over BEGIN_DIR ----

  private void beginDir(Hop hop, int streamId) {
    if (!info.hsDir() || streamId == 0) {
      sendBack(hop, new RelayCell(RelayCommand.END, streamId, new byte[] {(byte) End.EXITPOLICY}));
      return;
    }
    hop.dirStreams.put(streamId, new DirStream());
    ByteWriter w = new ByteWriter(1);
    Connected.empty().encode(w);
    sendBack(hop, new RelayCell(RelayCommand.CONNECTED, streamId, w.toByteArray()));
  }

  private void dirData(Hop hop, int streamId, byte[] data) {
    DirStream stream = hop.dirStreams.get(streamId);
    if (stream == null || stream.done) {
      return;
    }
    if (stream.request.size() + data.length > MAX_DIR_REQUEST_BYTES) {
      stream.done = true;
      respond(hop, streamId, 413, "Request Entity Too Large", new byte[0]);
      return;
    }
    stream.request.bytes(data);
    DirRequest.Result parsed =
        DirRequest.parse(stream.request.toByteArray(), MAX_DIR_REQUEST_BYTES);
    if (parsed instanceof DirRequest.Incomplete) {
      return;
    }
    stream.done = true;
    if (parsed instanceof DirRequest.Refused refused) {
      respond(hop, streamId, refused.status(), refused.reason(), new byte[0]);
      return;
    }
    DirRequest.Request req = (DirRequest.Request) parsed;
    String method = req.method();
    String path = req.path();
    if (method.equals("POST") && path.equals("/tor/hs/3/publish") && refuseUploads.get() > 0) {
      refuseUploads.decrementAndGet();
      respond(hop, streamId, 503, "Directory busy", new byte[0]);
    } else if (method.equals("POST") && path.equals("/tor/hs/3/publish")) {
      String text = new String(req.body(), StandardCharsets.US_ASCII);
      Optional<String> error = hsDir.store(text);
      if (error.isEmpty()) {
        acceptedUploads.incrementAndGet();
        respond(hop, streamId, 200, "OK", new byte[0]);
      } else {
        LOG.fine(() -> "HSDir refused an upload: " + error.get());
        respond(hop, streamId, 400, error.get(), new byte[0]);
      }
    } else if (method.equals("GET") && path.startsWith("/tor/hs/3/")) {
      Optional<String> desc = hsDir.fetch(path.substring("/tor/hs/3/".length()));
      if (desc.isPresent()) {
        respond(hop, streamId, 200, "OK", desc.get().getBytes(StandardCharsets.US_ASCII));
      } else {
        respond(hop, streamId, 404, "Not found", new byte[0]);
      }
    } else {
      respond(hop, streamId, 404, "Not found", new byte[0]);
    }
  }

  private void respond(Hop hop, int streamId, int status, String reason, byte[] body) {
    byte[] head =
        ("HTTP/1.0 " + status + " " + reason + "\r\nContent-Length: " + body.length + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] all = HsCrypto.concat(head, body);
    for (int off = 0; off < all.length; off += RelayCell.MAX_DATA) {
      int n = Math.min(RelayCell.MAX_DATA, all.length - off);
      sendBack(
          hop,
          new RelayCell(
              RelayCommand.DATA, streamId, java.util.Arrays.copyOfRange(all, off, off + n)));
    }
    sendBack(hop, new RelayCell(RelayCommand.END, streamId, new byte[] {(byte) End.DONE}));
    hop.dirStreams.remove(streamId);
  }

  /** Makes this HSDir answer the next {@code count} descriptor uploads with 503 (tests). */
  void refuseUploads(int count) {
    refuseUploads.set(count);
  }

  /** Descriptor uploads this HSDir accepted (tests). */
  int acceptedUploads() {
    return acceptedUploads.get();
  }

  // ---- sending and teardown ----

  private void sendBack(Hop hop, RelayCell rc) {
    byte[] body = rc.encode(random);
    hop.layer.stamp(body);
    hop.layer.encrypt(body);
    hop.prev.send(new Cell(hop.prevId, Cell.RELAY, body));
  }

  /** Tears down {@code hop}, telling both neighbours. */
  private void destroy(Hop hop) {
    teardown(hop, null);
  }

  /** Tears down {@code hop}; {@code from} (already gone or the sender of DESTROY) is not told. */
  private void teardown(Hop hop, Channel from) {
    Map<Long, Hop> prevMap = byPrev.get(hop.prev);
    if (prevMap == null || prevMap.remove(hop.prevId) == null) {
      return; // already torn down
    }
    if (hop.next != null) {
      Map<Long, Hop> nextMap = byNext.get(hop.next);
      if (nextMap != null) {
        nextMap.remove(hop.nextId);
      }
      if (hop.next != from) {
        hop.next.send(Cell.fixed(hop.nextId, Cell.DESTROY, new byte[] {(byte) End.DESTROY}));
      }
    }
    if (hop.prev != from) {
      hop.prev.send(Cell.fixed(hop.prevId, Cell.DESTROY, new byte[] {(byte) End.DESTROY}));
    }
    if (hop.introKey != null && introPoints.get(hop.introKey) == hop) {
      introPoints.remove(hop.introKey);
    }
    if (hop.cookie != null) {
      rendezvous.remove(hop.cookie);
    }
    Hop other = hop.spliced;
    if (other != null) {
      hop.spliced = null;
      other.spliced = null;
      teardown(other, null);
    }
  }

  /** Stops this relay (call on its loop); the loop is the network's and stays up. */
  void close() {
    stopped = true;
  }
}
