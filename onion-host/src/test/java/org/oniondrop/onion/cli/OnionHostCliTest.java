package org.oniondrop.onion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oniondrop.onion.keys.ClientAuthKey;
import org.oniondrop.onion.keys.OnionAddress;
import org.oniondrop.onion.keys.TorKeyFiles;

/** The command line, and its agreement with a real tor about keys and addresses. */
class OnionHostCliTest {

  @TempDir Path work;

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        OnionHostCli.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void torHostsOurKeyUnderTheAddressWePrint() throws Exception {
    // Given a key written by keygen, without the hostname file, so tor must compute it
    Path dir = work.resolve("ours");
    Result keygen = run("keygen", "--dir", dir.toString());
    assertThat(keygen.code()).isZero();
    String address = keygen.out().trim();
    assertThat(run("address", "--dir", dir.toString()).out().trim()).isEqualTo(address);
    Files.delete(dir.resolve("hostname"));

    // When a real tor loads it as a HiddenServiceDir
    try (TorProcess tor = TorProcess.hosting(work, dir)) {
      // Then tor writes the same address
      assertThat(Files.readString(dir.resolve("hostname")).trim()).isEqualTo(address);
    }
  }

  @Test
  void weReadTheAddressOfAKeyTorGenerated() throws Exception {
    Path dir = work.resolve("tors");
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    String torHostname;
    try (TorProcess tor = TorProcess.hosting(work, dir)) {
      torHostname = Files.readString(dir.resolve("hostname")).trim();
    }
    Result address = run("address", "--dir", dir.toString());
    assertThat(address.code()).as(address.err()).isZero();
    assertThat(address.out().trim()).isEqualTo(torHostname);
    OnionAddress.parse(torHostname);
  }

  @Test
  void clientAuthKeygenWritesBothHalvesInTorsFormats() throws Exception {
    Path dir = work.resolve("svc");
    Path clients = work.resolve("clients");
    assertThat(run("keygen", "--dir", dir.toString()).code()).isZero();
    Result r =
        run(
            "client-auth-keygen",
            "--dir",
            dir.toString(),
            "--name",
            "alice",
            "--client-dir",
            clients.toString());
    assertThat(r.code()).as(r.err()).isZero();
    Path auth = dir.resolve("authorized_clients/alice.auth");
    Path priv = clients.resolve("alice.auth_private");
    assertThat(r.out()).isEqualTo(auth + "\n" + priv + "\n");
    byte[] pub = ClientAuthKey.readAuth(auth);
    ClientAuthKey.ClientCredential cred = ClientAuthKey.readAuthPrivate(priv);
    assertThat(cred.key().publicKey()).isEqualTo(pub);
    assertThat(cred.address().toString() + "\n")
        .isEqualTo(Files.readString(dir.resolve("hostname")));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(priv)))
        .isEqualTo("rw-------");

    Result again =
        run(
            "client-auth-keygen",
            "--dir",
            dir.toString(),
            "--name",
            "alice",
            "--client-dir",
            clients.toString());
    assertThat(again.code()).isEqualTo(OnionHostCli.FAILED);
    assertThat(again.err())
        .isEqualTo("onion-host: a client named 'alice' already exists; refusing to overwrite\n");
  }

  @Test
  void serveHostsALocalWebAppReachableThroughItsSocksPortWithClientAuth() throws Exception {
    Path dir = work.resolve("served");
    Path clients = work.resolve("client-keys");
    assertThat(run("keygen", "--dir", dir.toString()).code()).isZero();
    assertThat(
            run(
                    "client-auth-keygen",
                    "--dir",
                    dir.toString(),
                    "--name",
                    "desk",
                    "--client-dir",
                    clients.toString())
                .code())
        .isZero();
    try (org.oniondrop.onion.embedded.TestHttpServer http =
        new org.oniondrop.onion.embedded.TestHttpServer()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      java.util.concurrent.atomic.AtomicReference<Serve> served =
          new java.util.concurrent.atomic.AtomicReference<>();
      int code =
          OnionHostCli.run(
              new String[] {
                "serve",
                "--service",
                dir + "=80:127.0.0.1:" + http.port(),
                "--socks",
                "0",
                "--client-auth-dir",
                clients.toString()
              },
              new PrintStream(out, true, StandardCharsets.UTF_8),
              System.err,
              served::set);
      assertThat(code).isZero();
      try (Serve serve = served.get()) {
        String address = Files.readString(dir.resolve("hostname")).trim();
        assertThat(out.toString(StandardCharsets.UTF_8))
            .isEqualTo(
                "onion service "
                    + address
                    + " -> 80 -> 127.0.0.1:"
                    + http.port()
                    + " (1 authorized clients)\n"
                    + "socks 127.0.0.1:"
                    + serve.socksPort()
                    + " (embedded network: no anonymity)\n");
        Process curl =
            new ProcessBuilder(
                    "curl",
                    "-sS",
                    "--max-time",
                    "60",
                    "--socks5-hostname",
                    "127.0.0.1:" + serve.socksPort(),
                    "http://" + address + "/")
                .redirectErrorStream(true)
                .start();
        String body = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor(90, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(body).isEqualTo("hello from an onion service\n");
      }
    }
    assertThat(run("serve").err())
        .isEqualTo("onion-host: serve needs at least one --service DIR=VPORT:127.0.0.1:PORT\n");
    assertThat(run("serve", "--service", "x=80:10.0.0.1:80").err())
        .isEqualTo("onion-host: targets must be on this machine (127.0.0.1)\n");
  }

  @Test
  void torrcMakesHiddenServiceDirsWithOurKeysAndPrintsTheLines() throws Exception {
    Path dir = work.resolve("static-svc");
    Result first = run("torrc", "--service", dir + "=80:127.0.0.1:8080,443:127.0.0.1:8443");
    assertThat(first.code()).as(first.err()).isEqualTo(OnionHostCli.OK);
    assertThat(first.out())
        .contains("HiddenServiceDir " + dir.toAbsolutePath().normalize() + "\n")
        .contains("HiddenServicePort 80 127.0.0.1:8080\n")
        .contains("HiddenServicePort 443 127.0.0.1:8443\n");
    String address = TorKeyFiles.read(dir).address().toString();
    // Run again: the key is kept, not replaced.
    assertThat(run("torrc", "--service", dir + "=80:127.0.0.1:8080").code())
        .isEqualTo(OnionHostCli.OK);
    assertThat(TorKeyFiles.read(dir).address().toString()).isEqualTo(address);
    assertThat(run("torrc").code()).isEqualTo(OnionHostCli.USAGE);
    assertThat(run("torrc", "--service", dir + "=80:10.0.0.1:80").code())
        .isEqualTo(OnionHostCli.USAGE);
    assertThat(
            run("torrc", "--service", dir + "=80:127.0.0.1:80", "--export-circuit-id", "x").err())
        .isEqualTo("onion-host: --export-circuit-id must name a --service DIR\n");
  }

  @Test
  void torrcExportsTheCircuitIdOfTheServicesAskedForAndTorAcceptsIt() throws Exception {
    Path source = work.resolve("source");
    Path journalist = work.resolve("journalist");
    Result r =
        run(
            "torrc",
            "--service",
            source + "=80:127.0.0.1:8080",
            "--service",
            journalist + "=80:127.0.0.1:8081",
            "--export-circuit-id",
            source.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(OnionHostCli.OK);
    String s = source.toAbsolutePath().normalize().toString();
    String j = journalist.toAbsolutePath().normalize().toString();
    assertThat(r.out())
        .contains(
            "HiddenServiceDir "
                + s
                + "\nHiddenServiceExportCircuitID haproxy\nHiddenServicePort 80 127.0.0.1:8080\n")
        .contains("HiddenServiceDir " + j + "\nHiddenServicePort 80 127.0.0.1:8081\n");
    assertThat(r.out().split("HiddenServiceExportCircuitID", -1)).hasSize(2);
    // tor itself accepts the configuration.
    Path torrc = work.resolve("torrc");
    Files.writeString(
        torrc,
        "DataDirectory "
            + work.resolve("tor-data")
            + "\nSocksPort 0\nDisableNetwork 1\n"
            + r.out());
    Files.createDirectories(work.resolve("tor-data"));
    Files.setPosixFilePermissions(
        work.resolve("tor-data"), PosixFilePermissions.fromString("rwx------"));
    Process verify =
        new ProcessBuilder("tor", "--verify-config", "-f", torrc.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(verify.waitFor()).as(output).isZero();
    assertThat(output).contains("Configuration was valid");
  }

  @Test
  void badArgumentsAndFilesGiveOneLineAndANonZeroExit() throws Exception {
    assertThat(run()).isEqualTo(new Result(OnionHostCli.USAGE, "", run().err()));
    assertThat(run("frobnicate").err())
        .isEqualTo("onion-host: unknown command 'frobnicate'; try --help\n");
    assertThat(run("keygen").err()).isEqualTo("onion-host: missing --dir\n");
    assertThat(run("keygen", "--dir").err()).isEqualTo("onion-host: option --dir needs a value\n");
    assertThat(run("keygen", "--dir", "x", "--name", "y").err())
        .isEqualTo("onion-host: option --name does not apply here\n");
    assertThat(run("client-auth-keygen", "--dir", "x", "--name", "../evil").code())
        .isEqualTo(OnionHostCli.USAGE);

    Path missing = work.resolve("nothing");
    Result r = run("address", "--dir", missing.toString());
    assertThat(r.code()).isEqualTo(OnionHostCli.FAILED);
    assertThat(r.err())
        .isEqualTo("onion-host: " + missing.resolve("hs_ed25519_secret_key") + ": missing\n");

    Path dir = work.resolve("k");
    run("keygen", "--dir", dir.toString());
    assertThat(run("keygen", "--dir", dir.toString()).err())
        .endsWith("already holds a key; refusing to overwrite it\n");
    Files.write(dir.resolve("hs_ed25519_secret_key"), new byte[96]);
    Result corrupt = run("address", "--dir", dir.toString());
    assertThat(corrupt.code()).isEqualTo(OnionHostCli.FAILED);
    assertThat(corrupt.err())
        .doesNotContain("\tat ")
        .endsWith("header is not '== ed25519v1-secret: type0 =='\n");
    assertThat(corrupt.err().lines().count()).isEqualTo(1);
  }
}
