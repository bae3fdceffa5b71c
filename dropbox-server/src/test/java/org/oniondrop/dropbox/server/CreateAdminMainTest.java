package org.oniondrop.dropbox.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;
import org.oniondrop.dropbox.journalist.cli.AdminCommand;

/** The server's command line: the first admin is made without any web form. */
@QuarkusMainTest
class CreateAdminMainTest {

  @Test
  @Launch({"create-admin", "firstadmin", "Ada"})
  void createAdminPrintsThePassphraseAndTotpSecretOnce(LaunchResult result) {
    assertThat(result.exitCode()).isZero();
    String out = result.getOutput();
    assertThat(out).contains("Admin account created: firstadmin");
    String passphrase =
        out.lines()
            .filter(l -> l.startsWith("Passphrase (shown once, write it down): "))
            .findFirst()
            .orElseThrow();
    assertThat(passphrase.substring(passphrase.indexOf(": ") + 2).split(" "))
        .hasSizeGreaterThanOrEqualTo(7);
    assertThat(out).containsPattern("TOTP secret \\(add to an authenticator app\\): [A-Z2-7]{32}");
  }

  @Test
  @Launch(
      value = {"frobnicate"},
      exitCode = AdminCommand.EXIT_USAGE)
  void unknownCommandsAreRefused(LaunchResult result) {
    assertThat(result.getErrorOutput()).contains("unknown command: frobnicate");
  }
}
