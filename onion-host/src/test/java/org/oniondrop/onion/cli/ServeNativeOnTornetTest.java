package org.oniondrop.onion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.oniondrop.onion.embedded.TestHttpServer;
import org.oniondrop.onion.nativenet.NativeOnTornetTest;
import org.oniondrop.onion.nativenet.Tornet;

/**
 * {@code onion-host serve --native} driven through its command line on tools/tornet: it prints the
 * address once published, and tornet's C tor client fetches the page through it.
 */
@EnabledIf("org.oniondrop.onion.nativenet.NativeOnTornetTest#torInstalled")
class ServeNativeOnTornetTest {

  static Tornet tornet;
  static Path work;
  static TestHttpServer http;

  @BeforeAll
  static void start() throws Exception {
    tornet = Tornet.startOrReuse("tornet-serve-native-test");
    work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "serve-native");
    http = new TestHttpServer();
  }

  @AfterAll
  static void stop() throws Exception {
    if (http != null) {
      http.close();
    }
    if (tornet != null) {
      tornet.close();
    }
  }

  @Test
  void serveNativeCommandPublishesAndCTorClientFetchesThroughIt() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    java.util.concurrent.atomic.AtomicReference<org.oniondrop.onion.cli.Serve> served =
        new java.util.concurrent.atomic.AtomicReference<>();
    int code =
        org.oniondrop.onion.cli.OnionHostCli.run(
            new String[] {
              "serve",
              "--native",
              "--join-torrc",
              tornet.joinTorrc().toString(),
              "--data-dir",
              work.resolve("cli-data").toString(),
              "--service",
              work.resolve("cli-svc") + "=80:127.0.0.1:" + http.port(),
              "--socks",
              "0"
            },
            new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
            new java.io.PrintStream(err, true, StandardCharsets.UTF_8),
            served::set);
    try {
      assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
      String printed = out.toString(StandardCharsets.UTF_8);
      assertThat(printed)
          .containsPattern("onion service [a-z2-7]{56}\\.onion -> 80 -> 127\\.0\\.0\\.1:")
          .contains(
              "native backend on a test network: no vanguards, no congestion control, no PoW,");
      String host = printed.substring("onion service ".length(), printed.indexOf(".onion") + 6);
      assertThat(
              NativeOnTornetTest.httpThroughSocks(
                  tornet.socksPort(), host, "GET / HTTP/1.0\r\n\r\n", null))
          .endsWith("hello from an onion service\n");
    } finally {
      if (served.get() != null) {
        served.get().close();
      }
    }
  }
}
