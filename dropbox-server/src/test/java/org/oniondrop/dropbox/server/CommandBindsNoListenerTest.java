package org.oniondrop.dropbox.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code create-admin} binds no listener: with the source and journalist ports both already taken
 * by another process, the command still succeeds (before, Quarkus' HTTP server failed to bind and
 * the command died).
 */
@QuarkusMainTest
@TestProfile(CommandBindsNoListenerTest.PortsTaken.class)
class CommandBindsNoListenerTest {

  /** Held open for the whole test run: the port the launched command is told to listen on. */
  static final ServerSocket TAKEN = take();

  private static ServerSocket take() {
    try {
      return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static class PortsTaken implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      String port = Integer.toString(TAKEN.getLocalPort());
      return Map.of(
          "quarkus.http.port", port,
          "quarkus.http.test-port", port,
          "oniondrop.server.journalist-port", port);
    }
  }

  @Test
  void createAdminSucceedsWhileTheConfiguredPortsAreTaken(QuarkusMainLauncher launcher) {
    assertThat(TAKEN.isBound()).isTrue();
    LaunchResult result = launcher.launch("create-admin", "portless", "Pat");
    assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
    assertThat(result.getOutput()).contains("Admin account created: portless");
  }
}
