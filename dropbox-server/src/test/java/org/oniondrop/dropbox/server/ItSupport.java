package org.oniondrop.dropbox.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;

/** Small helpers the integration tests that start the packaged application share. */
final class ItSupport {

  private ItSupport() {}

  /** The java command of the JVM running the tests. */
  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** A port free on 127.0.0.1 right now. */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** The rest of the first line of {@code text} that starts with {@code prefix}. */
  static String line(String text, String prefix) {
    return text.lines()
        .filter(l -> l.startsWith(prefix))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no '" + prefix + "' in:\n" + text))
        .substring(prefix.length());
  }
}
