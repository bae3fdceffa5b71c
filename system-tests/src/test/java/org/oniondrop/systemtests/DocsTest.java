package org.oniondrop.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documentation cannot drift unnoticed: every relative link and image in docs/ and the READMEs
 * resolves, and every command in a fenced block marked {@code tested} (```sh tested) is run, with
 * the same options, by the test suite or the repository's scripts.
 */
class DocsTest {

  static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  /** Bound on one Markdown or corpus file read: our largest is far below it. */
  static final long MAX_FILE_BYTES = 1 << 20;

  private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)[^)]*\\)");
  private static final Pattern FENCE = Pattern.compile("^\\s*```(.*)$");
  private static final Pattern SUBCOMMAND = Pattern.compile("[a-z][a-z0-9-]+");

  @Test
  void everyRelativeLinkAndImageResolves() throws IOException {
    List<String> broken = new ArrayList<>();
    for (Path doc : markdownFiles()) {
      broken.addAll(brokenLinks(doc, read(doc)));
    }
    assertThat(broken).as("broken links").isEmpty();
  }

  @Test
  void everyTestedCommandIsRunByTheSuiteOrAScript() throws IOException {
    List<String> corpus = corpus();
    List<String> untested = new ArrayList<>();
    int commands = 0;
    for (Path doc : markdownFiles()) {
      for (String command : testedCommands(read(doc))) {
        commands++;
        String problem = untested(command, corpus);
        if (problem != null) {
          untested.add(REPO.relativize(doc) + ": " + command + " (" + problem + ")");
        }
      }
    }
    assertThat(commands).as("tested commands found in the docs").isGreaterThan(10);
    assertThat(untested).as("documented commands nothing runs").isEmpty();
  }

  @Test
  void theGuidesShowScreenshotsTheBrowserTestTakes() throws IOException {
    String browserTest =
        read(
            REPO.resolve(
                "dropbox-server/src/test/java/org/oniondrop/dropbox/server/BrowserEndToEndTest.java"));
    for (String guide : List.of("docs/source-guide.md", "docs/journalist-guide.md")) {
      Matcher m = LINK.matcher(read(REPO.resolve(guide)));
      int images = 0;
      while (m.find()) {
        if (m.group(1).startsWith("images/")) {
          images++;
          String name = m.group(1).substring("images/".length()).replace(".png", "");
          assertThat(browserTest).as("%s shows %s", guide, name).contains('"' + name + '"');
        }
      }
      assertThat(images).as("pictures in %s", guide).isGreaterThan(3);
    }
  }

  @Test
  void theCheckerItselfCatchesABrokenLinkAndAnUnrunCommand() throws IOException {
    Path doc = REPO.resolve("docs/README.md");
    assertThat(brokenLinks(doc, "see [gone](no-such-file.md) and [ok](architecture.md)"))
        .hasSize(1);
    assertThat(brokenLinks(doc, "```\n[inside code](no-such-file.md)\n```\n")).isEmpty();
    List<String> commands =
        testedCommands("```sh tested\ngpg --frobnicate FILE\n./mvnw verify\n```\n");
    assertThat(commands).containsExactly("gpg --frobnicate FILE", "./mvnw verify");
    List<String> corpus = corpus();
    assertThat(untested("gpg --frobnicate FILE", corpus)).isNotNull();
    assertThat(untested("./no-such-script", corpus)).isNotNull();
    assertThat(untested("./mvnw verify", corpus)).isNull();
  }

  // ---------------------------------------------------------------------------------------------

  /** The README, every module README and everything under docs/. */
  static List<Path> markdownFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> top = Files.list(REPO)) {
      top.filter(Files::isDirectory)
          .map(d -> d.resolve("README.md"))
          .filter(Files::isRegularFile)
          .forEach(files::add);
    }
    files.add(REPO.resolve("README.md"));
    try (Stream<Path> docs = Files.walk(REPO.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md"))
          .filter(p -> !files.contains(p))
          .forEach(files::add);
    }
    return files;
  }

  /** Links outside fenced code and inline code whose target is not a file in the repository. */
  static List<String> brokenLinks(Path doc, String text) {
    List<String> broken = new ArrayList<>();
    boolean inFence = false;
    for (String line : text.split("\n", -1)) {
      if (FENCE.matcher(line).matches()) {
        inFence = !inFence;
        continue;
      }
      if (inFence) {
        continue;
      }
      Matcher m = LINK.matcher(line.replaceAll("`[^`]*`", ""));
      while (m.find()) {
        String target = m.group(1);
        if (target.matches("^[a-z]+:.*") || target.startsWith("#")) {
          continue; // an address outside the repository, or an anchor on this page
        }
        String file = target.replaceAll("#.*$", "");
        Path resolved = doc.getParent().resolve(file).normalize();
        if (!resolved.startsWith(REPO) || !Files.exists(resolved)) {
          broken.add(REPO.relativize(doc) + " -> " + target);
        }
      }
    }
    return broken;
  }

  /** The command lines of fenced blocks whose info string says {@code tested}. */
  static List<String> testedCommands(String text) {
    List<String> commands = new ArrayList<>();
    boolean inFence = false;
    boolean tested = false;
    StringBuilder pending = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      Matcher fence = FENCE.matcher(line);
      if (fence.matches()) {
        tested = !inFence && List.of(fence.group(1).trim().split("\\s+")).contains("tested");
        inFence = !inFence;
        continue;
      }
      if (!inFence || !tested) {
        continue;
      }
      String trimmed = line.trim();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      pending.append(trimmed);
      commands.add(pending.toString().replaceAll("\\s+", " "));
      pending.setLength(0);
    }
    return commands;
  }

  /**
   * Why nothing runs {@code command}, or null when one corpus file holds its program, its
   * subcommand (a lowercase word right after the program) and every one of its options. A program
   * given as a path must also exist in the repository.
   */
  static String untested(String command, List<String> corpus) {
    String[] tokens = command.split(" ");
    String program = tokens[0];
    List<String> needed = new ArrayList<>();
    if (program.contains("/")) {
      if (!Files.isRegularFile(REPO.resolve(program).normalize())) {
        return program + " is not a file in the repository";
      }
      needed.add(program.substring(program.lastIndexOf('/') + 1));
    } else {
      needed.add(program);
    }
    if (tokens.length > 1 && SUBCOMMAND.matcher(tokens[1]).matches()) {
      needed.add(tokens[1]);
    }
    for (int i = 1; i < tokens.length; i++) {
      if (tokens[i].startsWith("-")) {
        needed.add(tokens[i].replaceAll("=.*$", ""));
      }
    }
    for (String file : corpus) {
      if (needed.stream().allMatch(file::contains)) {
        return null;
      }
    }
    return "no test or script runs " + String.join(" ", needed);
  }

  /** Test sources and scripts: what the suite and the tools really run (not the docs). */
  static List<String> corpus() throws IOException {
    List<String> texts = new ArrayList<>();
    try (Stream<Path> all = Files.walk(REPO)) {
      for (Path p : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
        String rel = REPO.relativize(p).toString();
        if (rel.startsWith(".git/")
            || rel.contains("/target/")
            || rel.endsWith(".md")
            || rel.startsWith("system-tests/")) { // this checker names commands it must refuse
          continue;
        }
        boolean testSource = rel.contains("/src/test/") && rel.endsWith(".java");
        boolean script =
            rel.equals(".ci/run")
                || rel.equals("oniondrop")
                || rel.equals("ansible/oniondrop-admin")
                || rel.startsWith("ansible/tests/")
                || rel.startsWith("tools/")
                || rel.contains("/bench/") && rel.endsWith(".sh");
        if ((testSource || script) && Files.size(p) <= MAX_FILE_BYTES) {
          texts.add(read(p));
        }
      }
    }
    return texts;
  }

  static String read(Path p) throws IOException {
    if (Files.size(p) > MAX_FILE_BYTES) {
      throw new IOException(p + " is larger than " + MAX_FILE_BYTES + " bytes");
    }
    return Files.readString(p, StandardCharsets.UTF_8);
  }
}
