package org.oniondrop.dropbox.journalist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: the journalist web and API layers get view records from dropbox-core's services ({@code
 * org.oniondrop.dropbox.core.view}), never a JPA entity or a repository of {@code
 * org.oniondrop.dropbox.core.persistence}, and hold no JPQL of their own. Checked twice: in the
 * sources (an import or a fully qualified name), and in the compiled classes, whose constant pools
 * name every class a method touches, so an entity reached through {@code var} or a chained call
 * without any import is caught as well.
 */
class NoEntitiesInJournalistLayerTest {

  /** The package nothing in this module's main code may name. */
  static final String PERSISTENCE = "org.oniondrop.dropbox.core.persistence";

  /**
   * Fewer files than this means the walk looked in the wrong place (this module has ~45 sources).
   */
  static final int MIN_FILES = 30;

  private static List<Path> files(Path root, String suffix) throws IOException {
    assertThat(root).isDirectory();
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    }
  }

  /** The files under {@code root} ending in {@code suffix} whose bytes contain {@code needle}. */
  static List<String> offenders(Path root, String suffix, String needle) throws IOException {
    List<Path> all = files(root, suffix);
    assertThat(all).as("files scanned under " + root).hasSizeGreaterThan(MIN_FILES);
    byte[] n = needle.getBytes(StandardCharsets.ISO_8859_1);
    return all.stream()
        .filter(
            p -> {
              try {
                return indexOf(Files.readAllBytes(p), n) >= 0;
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            })
        .map(p -> root.relativize(p).toString())
        .toList();
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void noSourceFileNamesThePersistencePackage() throws IOException {
    assertThat(offenders(Path.of("src/main/java"), ".java", PERSISTENCE)).isEmpty();
  }

  @Test
  void noCompiledClassReferencesAnEntityOrRepository() throws IOException {
    assertThat(offenders(Path.of("target/classes"), ".class", PERSISTENCE.replace('.', '/')))
        .isEmpty();
  }

  @Test
  void noJpqlInThisModule() throws IOException {
    // JPQL belongs in dropbox-core's repositories; a query string here would name an entity.
    for (String q : List.of("createQuery(", "createNativeQuery(", "EntityManager")) {
      assertThat(offenders(Path.of("src/main/java"), ".java", q)).as(q).isEmpty();
    }
  }

  @Test
  void theScanFindsWhatItLooksFor() {
    // The byte search the checks rely on: found mid-buffer, at the end, and not when cut short.
    byte[] hay =
        "x.org/oniondrop/dropbox/core/persistence/Journalist".getBytes(StandardCharsets.UTF_8);
    byte[] n = "org/oniondrop/dropbox/core/persistence/".getBytes(StandardCharsets.UTF_8);
    assertThat(indexOf(hay, n)).isEqualTo(2);
    assertThat(indexOf("Journalist".getBytes(StandardCharsets.UTF_8), "list".getBytes()))
        .isEqualTo(6);
    assertThat(indexOf("org/oniondrop/dropbox/core/persistenc".getBytes(), n)).isEqualTo(-1);
  }
}
