package org.oniondrop.dropbox.journalist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.oniondrop.dropbox.core.view.ApiRows;
import org.oniondrop.dropbox.core.view.JournalistView;

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

  /**
   * The files under {@code root} ending in {@code suffix} whose bytes contain {@code needle} (read
   * as ISO-8859-1, one char a byte, so an ASCII needle is found in a class file's constant pool).
   */
  static List<String> offenders(Path root, String suffix, String needle) throws IOException {
    List<Path> all = files(root, suffix);
    assertThat(all).as("files scanned under " + root).hasSizeGreaterThan(MIN_FILES);
    List<String> out = new ArrayList<>();
    for (Path p : all) {
      if (new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).contains(needle)) {
        out.add(root.relativize(p).toString());
      }
    }
    return out;
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
  void theScansSeeWhatThisModuleDoesUse() throws IOException {
    // A control: the same scans find the view records that the layers do use, in the sources and
    // in the constant pools, so an empty result above is not a scan that reads nothing.
    assertThat(offenders(Path.of("src/main/java"), ".java", "org.oniondrop.dropbox.core.view."))
        .contains(
            "org/oniondrop/dropbox/journalist/web/Page.java".replace('/', File.separatorChar));
    assertThat(
            offenders(
                Path.of("target/classes"),
                ".class",
                "org/oniondrop/dropbox/core/view/JournalistView"))
        .contains(
            "org/oniondrop/dropbox/journalist/web/Page.class".replace('/', File.separatorChar));
  }

  @Test
  void whatCrossesAboutAJournalistIsNoSecret() {
    // The account's passphrase hash, TOTP secret and last TOTP step stay in dropbox-core: the
    // records the layers get carry exactly what the pages and the API JSON show.
    assertThat(
            Arrays.stream(JournalistView.class.getRecordComponents()).map(RecordComponent::getName))
        .containsExactly("uuid", "username", "firstName", "lastName", "admin", "lastAccess");
    assertThat(
            Arrays.stream(ApiRows.JournalistRow.class.getRecordComponents())
                .map(RecordComponent::getName))
        .containsExactly("id", "uuid", "username", "firstName", "lastName", "admin", "lastAccess");
  }
}
