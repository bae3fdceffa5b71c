package org.oniondrop.onion.nativenet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import java.util.logging.Logger;
import org.oniondrop.onion.net.Consensus;
import org.oniondrop.onion.net.RelayInfo;

/**
 * A small persistent guard sample, tor's guard-spec in simplified form: relays with the Guard flag
 * are sampled (weighted for the guard position), kept in the data dir in the order sampled, and a
 * circuit's first hop is the first sampled guard that is listed, still has the Guard flag and fits
 * the path. So the first hop does not change from circuit to circuit or across restarts, which is
 * the point of guards (an adversary's relays see our circuits only if one of our few guards is
 * theirs).
 *
 * <p>Kept: {@value #PRIMARY} listed guards at least (guard-spec N_PRIMARY_GUARDS), at most {@value
 * #MAX_SAMPLE} sampled. A guard leaves the sample {@link #LIFETIME} after it was sampled
 * (GUARD_LIFETIME, with the sample time set back by up to a tenth of it so the file does not tell
 * when we sampled) or after {@link #REMOVE_UNLISTED_AFTER} unlisted (REMOVE_UNLISTED_GUARDS_AFTER).
 *
 * <p>A guard we could not connect to is skipped for {@link #UNREACHABLE_RETRY} (in memory only),
 * then tried again: a simplified form of guard-spec's reachability schedule.
 *
 * <p>Not done (stated in the README): guard-spec's confirmed/primary distinction, its retry
 * schedule by guard age, and restriction when the whole network seems down.
 */
public final class GuardSet {

  private static final Logger LOG = Logger.getLogger(GuardSet.class.getName());

  /** Listed guards the sample keeps at least (guard-spec N_PRIMARY_GUARDS). */
  public static final int PRIMARY = 3;

  /** Guards sampled at most (a bound on the file and on work per consensus). */
  public static final int MAX_SAMPLE = 20;

  /** How long a sampled guard is kept (guard-spec GUARD_LIFETIME). */
  public static final Duration LIFETIME = Duration.ofDays(120);

  /**
   * How long a guard may be missing from the consensus (guard-spec REMOVE_UNLISTED_GUARDS_AFTER).
   */
  public static final Duration REMOVE_UNLISTED_AFTER = Duration.ofDays(20);

  /** A guard we could not reach is skipped this long before it is tried again. */
  public static final Duration UNREACHABLE_RETRY = Duration.ofMinutes(2);

  /** The state file's name in the data dir. */
  public static final String FILE = "guards";

  /** The state file is refused above this size. */
  static final int MAX_FILE_BYTES = 16 * 1024;

  /** One sampled guard: RSA fingerprint (hex), when sampled, since when unlisted (or null). */
  record Entry(String rsaHex, Instant sampledAt, Instant unlistedSince) {}

  private final Path file;
  private final List<Entry> sampled = new ArrayList<>();
  private final Map<String, Instant> unreachable = new HashMap<>();

  private GuardSet(Path file) {
    this.file = file;
  }

  /** Loads the sample from {@code file} (a missing or malformed file is an empty sample). */
  public static GuardSet load(Path file) {
    GuardSet set = new GuardSet(file);
    if (file == null || !Files.isRegularFile(file)) {
      return set;
    }
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        LOG.warning("guard state file too large; starting a new sample");
        return set;
      }
      for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
        String[] f = line.trim().split(" ");
        if (f.length != 4 || !f[0].equals("guard") || !f[1].matches("[0-9A-F]{40}")) {
          continue;
        }
        Instant unlisted = f[3].equals("-") ? null : Instant.ofEpochSecond(Long.parseLong(f[3]));
        if (set.sampled.size() < MAX_SAMPLE) {
          set.sampled.add(new Entry(f[1], Instant.ofEpochSecond(Long.parseLong(f[2])), unlisted));
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.warning("guard state file unreadable; starting a new sample");
      set.sampled.clear();
    }
    return set;
  }

  /** The sampled guards' fingerprints, in the order they are tried. */
  public synchronized List<String> sampled() {
    return sampled.stream().map(Entry::rsaHex).toList();
  }

  /**
   * Brings the sample up to date with {@code consensus}: marks unlisted guards, drops expired ones,
   * samples new ones until {@value #PRIMARY} are listed, and saves the file if anything changed.
   */
  public synchronized void update(
      Consensus consensus, BandwidthWeights weights, Instant now, Random random) {
    Map<String, RelayInfo> listed = new HashMap<>();
    for (RelayInfo r : consensus.relays()) {
      if (r.guard()) {
        listed.put(r.rsaHex(), r);
      }
    }
    boolean changed = false;
    for (int i = sampled.size() - 1; i >= 0; i--) {
      Entry e = sampled.get(i);
      boolean isListed = listed.containsKey(e.rsaHex());
      if (!now.isBefore(e.sampledAt().plus(LIFETIME))
          || (!isListed
              && e.unlistedSince() != null
              && !now.isBefore(e.unlistedSince().plus(REMOVE_UNLISTED_AFTER)))) {
        sampled.remove(i);
        changed = true;
      } else if (isListed && e.unlistedSince() != null) {
        sampled.set(i, new Entry(e.rsaHex(), e.sampledAt(), null));
        changed = true;
      } else if (!isListed && e.unlistedSince() == null) {
        sampled.set(i, new Entry(e.rsaHex(), e.sampledAt(), now));
        changed = true;
      }
    }
    Set<String> have = new HashSet<>(sampled());
    long usable = sampled.stream().filter(e -> listed.containsKey(e.rsaHex())).count();
    while (usable < PRIMARY && sampled.size() < MAX_SAMPLE) {
      List<RelayInfo> candidates = new ArrayList<>();
      for (RelayInfo r : listed.values()) {
        if (!have.contains(r.rsaHex())) {
          candidates.add(r);
        }
      }
      candidates.sort((a, b) -> a.rsaHex().compareTo(b.rsaHex())); // deterministic for a seed
      RelayInfo pick = weights.choose(candidates, BandwidthWeights.Position.GUARD, random);
      if (pick == null) {
        break;
      }
      long back = (long) (random.nextDouble() * LIFETIME.toSeconds() / 10);
      sampled.add(new Entry(pick.rsaHex(), now.minusSeconds(back), null));
      have.add(pick.rsaHex());
      usable++;
      changed = true;
    }
    if (changed) {
      save();
    }
  }

  /** Records that {@code relay} could not be reached at {@code now} (if it is a sampled guard). */
  public synchronized void markUnreachable(RelayInfo relay, Instant now) {
    if (sampled().contains(relay.rsaHex())) {
      unreachable.put(relay.rsaHex(), now);
    }
  }

  /**
   * The first sampled guard that is listed with the Guard flag, was not found unreachable in the
   * last {@link #UNREACHABLE_RETRY}, and passes {@code usable}.
   */
  public synchronized RelayInfo first(
      Consensus consensus, Predicate<RelayInfo> usable, Instant now) {
    unreachable.values().removeIf(t -> !now.isBefore(t.plus(UNREACHABLE_RETRY)));
    Map<String, RelayInfo> listed = new HashMap<>();
    for (RelayInfo r : consensus.relays()) {
      if (r.guard()) {
        listed.put(r.rsaHex(), r);
      }
    }
    for (Entry e : sampled) {
      RelayInfo r = listed.get(e.rsaHex());
      if (r != null && !unreachable.containsKey(e.rsaHex()) && usable.test(r)) {
        return r;
      }
    }
    return null;
  }

  private void save() {
    if (file == null) {
      return;
    }
    StringBuilder out =
        new StringBuilder("# onion-host guard sample: guard RSA-ID SAMPLED-AT UNLISTED-SINCE\n");
    for (Entry e : sampled) {
      out.append("guard ")
          .append(e.rsaHex())
          .append(' ')
          .append(e.sampledAt().getEpochSecond())
          .append(' ')
          .append(e.unlistedSince() == null ? "-" : e.unlistedSince().getEpochSecond())
          .append('\n');
    }
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, out, StandardCharsets.US_ASCII);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.warning("could not save the guard sample: " + e.getMessage());
    }
  }
}
