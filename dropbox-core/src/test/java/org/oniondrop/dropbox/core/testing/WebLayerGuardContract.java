package org.oniondrop.dropbox.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 16's guard for one web module (dropbox-journalist, dropbox-source, dropbox-server): its
 * main code names no type of {@value LayerGuard#PERSISTENCE}, in its sources or in its compiled
 * classes' constant pools, holds no JPQL, and calls into a dropbox-core whose public signatures
 * hide no entity either (see {@link LayerGuard} for why both halves are needed). A module's test
 * extends this and says how many files it expects and one file that does use dropbox-core, so a
 * scan that reads nothing cannot pass.
 */
public abstract class WebLayerGuardContract {

  /** The module's main sources, relative to the module (surefire's working directory). */
  protected static final Path SOURCES = Path.of("src/main/java");

  /** The module's compiled main classes. */
  protected static final Path CLASSES = Path.of("target/classes");

  /** Fewer source files than this means the walk looked in the wrong place. */
  protected abstract int minFiles();

  /**
   * A main source of the module, relative to {@link #SOURCES} with '/' separators and without
   * {@code .java}, that does use dropbox-core (so its class names {@link #coreClassUsed()}).
   */
  protected abstract String classUsingCore();

  /** A dropbox-core class, '/'-separated, that {@link #classUsingCore()} names. */
  protected abstract String coreClassUsed();

  @Test
  void noSourceFileNamesThePersistencePackage() throws IOException {
    assertThat(LayerGuard.persistenceInSources(SOURCES, minFiles())).isEmpty();
  }

  @Test
  void noCompiledClassReferencesAnEntityOrRepository() throws IOException {
    assertThat(LayerGuard.persistenceInClasses(CLASSES, minFiles())).isEmpty();
  }

  @Test
  void noCoreMethodThisModuleCanCallHidesAnEntity() throws IOException {
    // The constant pools above are erased: findByUuid(x).isPresent() on a core method returning
    // Optional<Journalist> would leave only java/util/Optional behind. So no public signature of
    // the dropbox-core this module is built against may name a persistence type at all, type
    // arguments included.
    assertThat(LayerGuard.persistenceTypesInCoreApi()).isEmpty();
  }

  @Test
  void noJpqlInThisModule() throws IOException {
    // JPQL belongs in dropbox-core's repositories; a query string here would name an entity.
    for (String q : List.of("createQuery(", "createNativeQuery(", "EntityManager")) {
      assertThat(LayerGuard.offenders(SOURCES, ".java", q, minFiles())).as(q).isEmpty();
    }
  }

  @Test
  void theScansSeeWhatThisModuleDoesUse() throws IOException {
    // A control: the same scans find a dropbox-core class the module does use, in its sources and
    // in its constant pools, so an empty result above is not a scan that reads nothing.
    String used = coreClassUsed();
    String file = classUsingCore().replace('/', File.separatorChar);
    assertThat(LayerGuard.offenders(SOURCES, ".java", used.replace('/', '.'), minFiles()))
        .contains(file + ".java");
    assertThat(LayerGuard.offenders(CLASSES, ".class", used, minFiles())).contains(file + ".class");
  }
}
