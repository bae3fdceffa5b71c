package org.oniondrop.onion.dir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of a torrc that says which network to join: {@code DirAuthority} lines (the trust
 * anchors), {@code FallbackDir} lines (directory caches to bootstrap from) and {@code
 * TestingTorNetwork} (which, as in tor's hs_common.c, switches onion-service time periods to 24
 * voting intervals). Other lines are ignored. With no {@code DirAuthority} line, the real Tor
 * network's authorities from {@link #publicNetwork()} are used, with the torrc's {@code
 * FallbackDir} lines or, with none, the real network's fallbacks shipped with them. As in tor,
 * custom {@code DirAuthority} lines without {@code FallbackDir} lines mean no fallbacks (the
 * authorities are asked directly).
 */
public record JoinConfig(
    List<DirAuthority> authorities, List<FallbackDir> fallbacks, boolean testingNetwork) {

  /** A join snippet is a few lines; anything larger is not one. */
  public static final int MAX_TORRC_BYTES = 64 * 1024;

  /** Configured authorities; tor itself has 9 or 10. */
  public static final int MAX_AUTHORITIES = 32;

  /** FallbackDir lines accepted (tor ships 200). */
  public static final int MAX_FALLBACKS = 500;

  public JoinConfig(List<DirAuthority> authorities, boolean testingNetwork) {
    this(authorities, List.of(), testingNetwork);
  }

  public JoinConfig {
    authorities = List.copyOf(authorities);
    fallbacks = List.copyOf(fallbacks);
    if (fallbacks.size() > MAX_FALLBACKS) {
      throw new IllegalArgumentException("more than " + MAX_FALLBACKS + " fallback directories");
    }
    if (authorities.isEmpty()) {
      throw new IllegalArgumentException("at least one directory authority is needed");
    }
  }

  public static JoinConfig read(Path torrc) throws IOException, DirException {
    if (Files.size(torrc) > MAX_TORRC_BYTES) {
      throw new DirException(torrc + " is larger than " + MAX_TORRC_BYTES + " bytes");
    }
    return parse(Files.readString(torrc, StandardCharsets.UTF_8));
  }

  public static JoinConfig parse(String torrc) throws DirException {
    List<DirAuthority> auths = new ArrayList<>();
    List<FallbackDir> fallbacks = new ArrayList<>();
    boolean testing = false;
    for (String raw : torrc.split("\n")) {
      String line = raw.trim();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] kv = line.split("\\s+", 2);
      if (kv[0].equalsIgnoreCase("DirAuthority") && kv.length == 2) {
        if (auths.size() >= MAX_AUTHORITIES) {
          throw new DirException("more than " + MAX_AUTHORITIES + " DirAuthority lines");
        }
        auths.add(DirAuthority.parse(kv[1]));
      } else if (kv[0].equalsIgnoreCase("FallbackDir") && kv.length == 2) {
        if (fallbacks.size() >= MAX_FALLBACKS) {
          throw new DirException("more than " + MAX_FALLBACKS + " FallbackDir lines");
        }
        fallbacks.add(FallbackDir.parse(kv[1]));
      } else if (kv[0].equalsIgnoreCase("TestingTorNetwork") && kv.length == 2) {
        testing = kv[1].trim().equals("1");
      }
    }
    if (auths.isEmpty()) {
      if (testing) {
        throw new DirException("TestingTorNetwork 1 needs DirAuthority lines");
      }
      JoinConfig pub = publicNetwork();
      return fallbacks.isEmpty() ? pub : new JoinConfig(pub.authorities(), fallbacks, false);
    }
    return new JoinConfig(auths, fallbacks, testing);
  }

  /**
   * The public Tor network's directory authorities and fallback directories, read from the
   * resources {@code public-authorities.torrc} and {@code public-fallbacks.torrc} (their headers
   * name the sources).
   */
  public static JoinConfig publicNetwork() throws DirException {
    List<DirAuthority> auths = new ArrayList<>();
    for (String line : resourceLines("public-authorities.torrc", "DirAuthority ")) {
      auths.add(DirAuthority.parse(line));
    }
    List<FallbackDir> fallbacks = new ArrayList<>();
    for (String line : resourceLines("public-fallbacks.torrc", "FallbackDir ")) {
      fallbacks.add(FallbackDir.parse(line));
    }
    return new JoinConfig(auths, fallbacks, false);
  }

  private static List<String> resourceLines(String name, String keyword) throws DirException {
    try (var in = JoinConfig.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new DirException(name + " missing from the jar");
      }
      String text = new String(in.readNBytes(MAX_TORRC_BYTES), StandardCharsets.UTF_8);
      List<String> out = new ArrayList<>();
      for (String raw : text.split("\n")) {
        String line = raw.trim();
        if (line.startsWith(keyword)) {
          out.add(line.substring(keyword.length()));
        }
      }
      return out;
    } catch (IOException e) {
      throw new DirException("cannot read " + name, e);
    }
  }

  /** Signatures a consensus needs: more than half of the configured authorities. */
  public int majority() {
    return authorities.size() / 2 + 1;
  }
}
