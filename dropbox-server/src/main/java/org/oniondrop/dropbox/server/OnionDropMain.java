package org.oniondrop.dropbox.server;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import java.util.Arrays;
import org.oniondrop.dropbox.journalist.cli.AdminCommand;

/**
 * The server's entry point. Without arguments it serves until stopped; {@code create-admin USERNAME
 * [FIRST [LAST]]} creates an admin account, prints its passphrase and TOTP secret once and exits.
 * {@code store quarantine list|restore|purge} decides about ciphertext quarantined at start-up.
 * With the embedded H2 database only one process may open the data directory, so run commands while
 * the server is stopped.
 *
 * <p>A command binds no listener at all: {@link #main} turns Quarkus' HTTP listener off before
 * Quarkus starts ({@code quarkus.http.host-enabled=false}), and the journalist listener, first-run
 * setup and onion services skip themselves when there are arguments. So a command works while the
 * configured ports are taken, and never answers a request.
 */
@QuarkusMain
public class OnionDropMain implements QuarkusApplication {

  /** The Quarkus property that, when false, keeps the HTTP server from binding its host:port. */
  static final String HTTP_LISTENER_PROPERTY = "quarkus.http.host-enabled";

  public static void main(String... args) {
    if (args.length > 0) {
      System.setProperty(HTTP_LISTENER_PROPERTY, "false");
    }
    Quarkus.run(OnionDropMain.class, args);
  }

  @Inject AdminCommand adminCommand;
  @Inject QuarantineCommand quarantineCommand;

  @Override
  public int run(String... args) {
    if (args.length == 0) {
      Quarkus.waitForExit();
      return 0;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "create-admin":
        return adminCommand.createAdmin(rest, System.out, System.err);
      case "store":
        return quarantineCommand.run(rest, System.out, System.err);
      case "help":
      case "--help":
        usage();
        return 0;
      default:
        System.err.println("unknown command: " + args[0]);
        usage();
        return AdminCommand.EXIT_USAGE;
    }
  }

  private static void usage() {
    System.err.println("usage: oniondrop                      serve until stopped");
    System.err.println("       oniondrop create-admin USERNAME [FIRST_NAME [LAST_NAME]]");
    QuarantineCommand.usage(System.err);
  }
}
