package org.oniondrop.onion.dir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * The client's view of the directory: authority key certificates, the verified microdesc consensus
 * and the microdescriptors of its relays, fetched from the configured authorities and cached in
 * {@code dataDir} ({@code cached-certs}, {@code cached-microdesc-consensus}, {@code
 * cached-microdescs}, like tor's data directory) so a restart does not refetch what is still live.
 * Everything read from disk is verified again exactly as if it had been fetched.
 *
 * <p>Sources, in the order a fetch round tries them (C tor's client bootstrap, dir-spec §5 and
 * tor's ClientBootstrapConsensus* options, made sequential): once we have a consensus, up to
 * {@value #CACHES_FIRST} random directory caches it lists (V2Dir, Running, Valid), as C tor clients
 * refresh from caches; then up to {@value #FALLBACKS_FIRST} random fallback directories, both over
 * BEGIN_DIR on their ORPorts; then the authorities' DirPorts in random order, then up to {@value
 * #FALLBACKS_FIRST} more fallbacks. A fallback is only a cache: its consensus must carry a majority
 * of the configured authorities' signatures like any other, and its microdescriptors must hash to
 * the digests that consensus lists.
 */
public final class NetworkDirectory {

  private static final Logger LOG = Logger.getLogger(NetworkDirectory.class.getName());

  /** Microdescriptors per request: tor asks for at most 92 digests per URL (dir-spec §5.3). */
  static final int MICRODESC_BATCH = 92;

  /** Directory caches from the current consensus tried first in a refresh. */
  static final int CACHES_FIRST = 2;

  /** Fallbacks tried before the authorities, and again after them, in one round. */
  static final int FALLBACKS_FIRST = 3;

  /** The failure reasons kept for a round's error message. */
  static final int MAX_REASONS = 8;

  /** Where one fetch round gets its documents from. */
  private record Source(String name, boolean fallback, Fetch fetch) {}

  @FunctionalInterface
  private interface Fetch {
    String get(String path, int maxBytes) throws DirException;
  }

  /** A verified consensus and the microdescriptors we have for it, by digest (hex). */
  public record Snapshot(MicrodescConsensus consensus, Map<String, Microdescriptor> microdescs) {

    public Microdescriptor microdesc(MicrodescConsensus.Router r) {
      return microdescs.get(HexFormat.of().formatHex(r.microdescDigest()));
    }
  }

  private final JoinConfig config;
  private final Path dataDir;
  private final Clock clock;
  private final DirectoryFetcher fetcher;
  private final OrPortFetcher orPortFetcher;
  private final SecureRandom random;
  private volatile List<AuthorityCertificate> certs = List.of();
  private volatile Snapshot snapshot;
  private final AtomicInteger cacheLoads = new AtomicInteger();
  private final AtomicInteger consensusFetches = new AtomicInteger();
  private final AtomicInteger microdescsFetched = new AtomicInteger();
  private final AtomicInteger fallbackConsensuses = new AtomicInteger();
  private final AtomicInteger refusedConsensuses = new AtomicInteger();

  /**
   * What the directory did so far: consensuses loaded from the on-disk cache, consensuses fetched
   * (of which over BEGIN_DIR from fallbacks or the consensus's directory caches, and refused
   * because they did not verify), microdescriptors fetched (status and tests: a restart should
   * fetch none of the latter).
   */
  public record Stats(
      int cacheLoads,
      int consensusFetches,
      int microdescsFetched,
      int fallbackConsensuses,
      int refusedConsensuses) {}

  public Stats stats() {
    return new Stats(
        cacheLoads.get(),
        consensusFetches.get(),
        microdescsFetched.get(),
        fallbackConsensuses.get(),
        refusedConsensuses.get());
  }

  public NetworkDirectory(
      JoinConfig config, Path dataDir, Clock clock, DirectoryFetcher fetcher, SecureRandom random) {
    this(config, dataDir, clock, fetcher, OrPortFetcher.NONE, random);
  }

  public NetworkDirectory(
      JoinConfig config,
      Path dataDir,
      Clock clock,
      DirectoryFetcher fetcher,
      OrPortFetcher orPortFetcher,
      SecureRandom random) {
    this.config = config;
    this.dataDir = dataDir;
    this.clock = clock;
    this.fetcher = fetcher;
    this.orPortFetcher = orPortFetcher;
    this.random = random;
  }

  public JoinConfig config() {
    return config;
  }

  /** The current verified snapshot, or null before the first successful {@link #refresh}. */
  public Snapshot snapshot() {
    return snapshot;
  }

  /**
   * Loads the on-disk cache if it still verifies and is live; otherwise (or when {@code
   * forceFetch}) fetches a fresh consensus.
   *
   * @throws DirException if no authority gave a consensus that verifies
   */
  public synchronized Snapshot refresh(boolean forceFetch) throws DirException {
    Instant now = clock.instant();
    if (snapshot == null && !forceFetch) {
      Snapshot cached = loadCache(now);
      if (cached != null) {
        snapshot = cached;
        cacheLoads.incrementAndGet();
        LOG.info(
            "directory: using cached consensus valid-after " + cached.consensus().validAfter());
        if (now.isBefore(cached.consensus().freshUntil())) {
          return cached;
        }
      }
    }
    List<Source> order = fetchOrder();
    DirException last = null;
    List<String> reasons = new ArrayList<>();
    for (Source source : order) {
      try {
        Snapshot fresh = fetchFrom(source, now);
        snapshot = fresh;
        return fresh;
      } catch (DirException e) {
        last = e;
        if (reasons.size() < MAX_REASONS) {
          reasons.add(e.getMessage());
        }
        LOG.warning("directory: " + e.getMessage());
      }
    }
    throw new DirException(
        "no directory source gave a usable consensus ("
            + order.size()
            + " tried: "
            + String.join("; ", reasons)
            + (order.size() > reasons.size() ? "; ..." : "")
            + ")",
        last);
  }

  /** One round's sources: some fallbacks, the authorities, some more fallbacks (see above). */
  private List<Source> fetchOrder() {
    List<FallbackDir> fallbacks = new ArrayList<>(config.fallbacks());
    Collections.shuffle(fallbacks, random);
    List<DirAuthority> auths = new ArrayList<>(config.authorities());
    Collections.shuffle(auths, random);
    List<Source> order = new ArrayList<>();
    Snapshot current = snapshot;
    if (current != null && orPortFetcher != OrPortFetcher.NONE) {
      List<MicrodescConsensus.Router> caches = new ArrayList<>();
      for (MicrodescConsensus.Router r : current.consensus().routers()) {
        if (r.has("V2Dir") && r.has("Running") && r.has("Valid") && r.orPort() > 0) {
          caches.add(r);
        }
      }
      Collections.shuffle(caches, random);
      for (MicrodescConsensus.Router r : caches.subList(0, Math.min(CACHES_FIRST, caches.size()))) {
        FallbackDir asCache =
            new FallbackDir(
                (r.ipv4()[0] & 0xff)
                    + "."
                    + (r.ipv4()[1] & 0xff)
                    + "."
                    + (r.ipv4()[2] & 0xff)
                    + "."
                    + (r.ipv4()[3] & 0xff),
                0,
                r.orPort(),
                r.rsaId(),
                current.microdesc(r) == null ? null : current.microdesc(r).ed25519Id());
        order.add(
            new Source(
                "cache " + r.nickname() + " " + asCache.address() + ":" + r.orPort(),
                true,
                (path, max) -> orPortFetcher.get(asCache, path, max)));
      }
    }
    int firstFallbacks = Math.min(FALLBACKS_FIRST, fallbacks.size());
    for (FallbackDir f : fallbacks.subList(0, firstFallbacks)) {
      order.add(fallbackSource(f));
    }
    for (DirAuthority a : auths) {
      order.add(new Source(a.toString(), false, (path, max) -> fetcher.get(a, path, max)));
    }
    for (FallbackDir f :
        fallbacks.subList(firstFallbacks, Math.min(fallbacks.size(), 2 * FALLBACKS_FIRST))) {
      order.add(fallbackSource(f));
    }
    return order;
  }

  private Source fallbackSource(FallbackDir f) {
    return new Source(f.toString(), true, (path, max) -> orPortFetcher.get(f, path, max));
  }

  private Snapshot fetchFrom(Source source, Instant now) throws DirException {
    String consensusText =
        source
            .fetch()
            .get(
                "/tor/status-vote/current/consensus-microdesc",
                MicrodescConsensus.MAX_DOCUMENT_BYTES);
    consensusFetches.incrementAndGet();
    MicrodescConsensus consensus = MicrodescConsensus.parse(consensusText);
    List<AuthorityCertificate> known = certs;
    String keysText = null;
    if (!signingKeysKnown(consensus, known)) {
      keysText = source.fetch().get("/tor/keys/all", AuthorityCertificate.MAX_DOCUMENT_BYTES);
      known = onlyConfigured(AuthorityCertificate.parseAll(keysText));
      // Kept only once a consensus verified with them (below): a cache's junk is not stored.
    }
    try {
      ConsensusVerifier.verify(consensus, config, known, now);
    } catch (DirException e) {
      refusedConsensuses.incrementAndGet();
      throw new DirException(source.name() + ": " + e.getMessage(), e);
    }
    if (keysText != null) {
      certs = known;
      write("cached-certs", keysText);
    }
    if (source.fallback()) {
      fallbackConsensuses.incrementAndGet();
    }
    if (snapshot != null && !consensus.validAfter().isAfter(snapshot.consensus().validAfter())) {
      return snapshot; // nothing newer
    }
    Map<String, Microdescriptor> mds = new HashMap<>();
    if (snapshot != null) {
      mds.putAll(snapshot.microdescs());
    }
    List<String> missing = new ArrayList<>();
    for (MicrodescConsensus.Router r : consensus.routers()) {
      if (!mds.containsKey(HexFormat.of().formatHex(r.microdescDigest()))) {
        missing.add(Base64.getEncoder().withoutPadding().encodeToString(r.microdescDigest()));
      }
    }
    for (int i = 0; i < missing.size(); i += MICRODESC_BATCH) {
      List<String> batch = missing.subList(i, Math.min(missing.size(), i + MICRODESC_BATCH));
      String text =
          source
              .fetch()
              .get("/tor/micro/d/" + String.join("-", batch), Microdescriptor.MAX_DOCUMENT_BYTES);
      for (Microdescriptor md : Microdescriptor.parseAll(text)) {
        mds.put(HexFormat.of().formatHex(md.digest()), md);
        microdescsFetched.incrementAndGet();
      }
    }
    Map<String, Microdescriptor> used = keepListed(consensus, mds);
    write("cached-microdesc-consensus", consensusText);
    StringBuilder all = new StringBuilder();
    used.values().forEach(m -> all.append(m.text()));
    write("cached-microdescs", all.toString());
    LOG.info(
        "directory: consensus valid-after "
            + consensus.validAfter()
            + " from "
            + source.name()
            + ", "
            + consensus.routers().size()
            + " relays, "
            + used.size()
            + " microdescriptors");
    return new Snapshot(consensus, used);
  }

  private List<AuthorityCertificate> onlyConfigured(List<AuthorityCertificate> all) {
    List<AuthorityCertificate> out = new ArrayList<>();
    for (AuthorityCertificate c : all) {
      if (config.authorities().stream()
          .anyMatch(a -> java.util.Arrays.equals(a.v3ident(), c.fingerprint()))) {
        out.add(c);
      }
    }
    return out;
  }

  private static boolean signingKeysKnown(
      MicrodescConsensus consensus, List<AuthorityCertificate> known) {
    for (MicrodescConsensus.Signature s : consensus.signatures()) {
      boolean found =
          known.stream()
              .anyMatch(
                  c ->
                      java.util.Arrays.equals(c.fingerprint(), s.identity())
                          && java.util.Arrays.equals(c.signingKeyDigest(), s.signingKeyDigest()));
      if (!found) {
        return false;
      }
    }
    return !known.isEmpty();
  }

  private static Map<String, Microdescriptor> keepListed(
      MicrodescConsensus consensus, Map<String, Microdescriptor> mds) {
    Map<String, Microdescriptor> used = new HashMap<>();
    for (MicrodescConsensus.Router r : consensus.routers()) {
      String key = HexFormat.of().formatHex(r.microdescDigest());
      Microdescriptor md = mds.get(key);
      if (md != null) {
        used.put(key, md);
      }
    }
    return Map.copyOf(used);
  }

  private Snapshot loadCache(Instant now) {
    try {
      Path c = dataDir.resolve("cached-microdesc-consensus");
      Path k = dataDir.resolve("cached-certs");
      Path m = dataDir.resolve("cached-microdescs");
      if (!Files.exists(c) || !Files.exists(k) || !Files.exists(m)) {
        return null;
      }
      MicrodescConsensus consensus =
          MicrodescConsensus.parse(read(c, MicrodescConsensus.MAX_DOCUMENT_BYTES));
      List<AuthorityCertificate> known =
          onlyConfigured(
              AuthorityCertificate.parseAll(read(k, AuthorityCertificate.MAX_DOCUMENT_BYTES)));
      ConsensusVerifier.verify(consensus, config, known, now);
      Map<String, Microdescriptor> mds = new HashMap<>();
      for (Microdescriptor md :
          Microdescriptor.parseAll(read(m, Microdescriptor.MAX_DOCUMENT_BYTES))) {
        mds.put(HexFormat.of().formatHex(md.digest()), md);
      }
      certs = known;
      return new Snapshot(consensus, keepListed(consensus, mds));
    } catch (IOException | DirException e) {
      LOG.info("directory: cache not used: " + e.getMessage());
      return null;
    }
  }

  private static String read(Path p, int max) throws IOException, DirException {
    if (Files.size(p) > max) {
      throw new DirException(p.getFileName() + " larger than " + max + " bytes");
    }
    return Files.readString(p, StandardCharsets.ISO_8859_1);
  }

  private void write(String name, String text) {
    try {
      Files.createDirectories(dataDir);
      Path tmp = dataDir.resolve(name + ".tmp");
      Files.writeString(tmp, text, StandardCharsets.ISO_8859_1);
      try {
        Files.move(
            tmp,
            dataDir.resolve(name),
            StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, dataDir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      LOG.warning("directory: cannot write cache " + name + ": " + e.getClass().getSimpleName());
    }
  }

  /**
   * When to fetch the next consensus (dir-spec §5.1): a random moment in the first three quarters
   * of the span between fresh-until and valid-until of the one we have.
   */
  public Instant nextFetch(Snapshot s) {
    MicrodescConsensus c = s.consensus();
    long span = Duration.between(c.freshUntil(), c.validUntil()).toMillis() * 3 / 4;
    long offset = span <= 0 ? 0 : (long) (random.nextDouble() * span);
    return c.freshUntil().plusMillis(offset);
  }
}
