package org.oniondrop.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The server runs with the same GC option wherever it is started as deployed: Ansible's unit says
 * why it needs {@value #GC_OPTION}; the Quick start's launcher, the upload benchmark and the tests
 * that run the packaged app must measure and run what Ansible installs.
 */
class ServerJvmOptionsTest {

  static final String GC_OPTION = "-XX:-G1UseAdaptiveIHOP";

  /**
   * Every file that starts the server's JVM as it is deployed, with how its command line starts (a
   * comment naming the option does not count).
   */
  static final Map<String, String> LAUNCHERS =
      Map.of(
          "ansible/roles/app/templates/oniondrop.service.j2", "ExecStart=/usr/bin/java ",
          "oniondrop", "exec java ",
          "dropbox-server/bench/upload-direct-vs-onion.sh", "java -Xmx256m ",
          "dropbox-server/src/test/java/org/oniondrop/dropbox/server/ItSupport.java",
              "static final String GC_OPTION =");

  @Test
  void everyLauncherOfTheDeployedServerUsesTheUnitsGcOption() throws IOException {
    LAUNCHERS.forEach(
        (file, command) -> {
          List<String> lines = lines(file).stream().filter(l -> l.startsWith(command)).toList();
          assertThat(lines).as(file + ": the lines starting " + command).singleElement();
          assertThat(lines.get(0)).as(file).contains(GC_OPTION);
        });
  }

  @Test
  void theTestsThatRunThePackagedAppAsDeployedPassIt() {
    String dir = "dropbox-server/src/test/java/org/oniondrop/dropbox/server/";
    for (String it : List.of("LargeUploadMemoryIT.java", "HostileLoadIT.java")) {
      assertThat(lines(dir + it)).as(it).contains("ItSupport.GC_OPTION,");
    }
  }

  private static List<String> lines(String file) {
    try {
      return Files.readAllLines(DocsTest.REPO.resolve(file), StandardCharsets.UTF_8).stream()
          .map(String::strip)
          .toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
