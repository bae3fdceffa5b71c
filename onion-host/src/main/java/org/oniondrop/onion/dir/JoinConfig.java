package org.oniondrop.onion.dir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of a torrc that says which network to join: {@code DirAuthority} lines and {@code
 * TestingTorNetwork} (which, as in tor's hs_common.c, switches onion-service time periods to 24
 * voting intervals). Other lines are ignored. With no {@code DirAuthority} line, the real Tor
 * network's authorities from {@link #publicNetwork()} are used.
 */
public record JoinConfig(List<DirAuthority> authorities, boolean testingNetwork) {

  /** A join snippet is a few lines; anything larger is not one. */
  public static final int MAX_TORRC_BYTES = 64 * 1024;

  /** Configured authorities; tor itself has 9 or 10. */
  public static final int MAX_AUTHORITIES = 32;

  public JoinConfig {
    authorities = List.copyOf(authorities);
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
      } else if (kv[0].equalsIgnoreCase("TestingTorNetwork") && kv.length == 2) {
        testing = kv[1].trim().equals("1");
      }
    }
    if (auths.isEmpty()) {
      if (testing) {
        throw new DirException("TestingTorNetwork 1 needs DirAuthority lines");
      }
      return publicNetwork();
    }
    return new JoinConfig(auths, testing);
  }

  /**
   * The public Tor network's directory authorities, read from the resource {@code
   * public-authorities.torrc} (its header names the source).
   */
  public static JoinConfig publicNetwork() throws DirException {
    try (var in = JoinConfig.class.getResourceAsStream("public-authorities.torrc")) {
      if (in == null) {
        throw new DirException("public-authorities.torrc missing from the jar");
      }
      String text = new String(in.readNBytes(MAX_TORRC_BYTES), StandardCharsets.UTF_8);
      List<DirAuthority> auths = new ArrayList<>();
      for (String raw : text.split("\n")) {
        String line = raw.trim();
        if (line.startsWith("DirAuthority ")) {
          auths.add(DirAuthority.parse(line.substring("DirAuthority ".length())));
        }
      }
      return new JoinConfig(auths, false);
    } catch (IOException e) {
      throw new DirException("cannot read public-authorities.torrc", e);
    }
  }

  /** Signatures a consensus needs: more than half of the configured authorities. */
  public int majority() {
    return authorities.size() / 2 + 1;
  }
}
