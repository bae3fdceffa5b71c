package org.oniondrop.dropbox.core.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.oniondrop.dropbox.core.persistence.Journalist;
import org.oniondrop.dropbox.core.persistence.Source;
import org.oniondrop.dropbox.core.persistence.Submission;
import org.oniondrop.dropbox.core.testing.LayerGuard;

/**
 * Issue 16: no public or protected member of dropbox-core (outside its persistence package) names a
 * JPA entity or any other persistence type, type arguments included, so the web modules can only
 * reach an entity by naming it, which their own guards ({@code NoEntitiesIn*LayerTest}) catch.
 */
public class CoreApiBoundaryTest {

  @Test
  void noPublicCoreSignatureNamesAPersistenceType() throws IOException {
    assertThat(LayerGuard.persistenceTypesInCoreApi()).isEmpty();
  }

  @Test
  void theWalkSeesTheServicesAndTheirNestedTypes() throws IOException {
    // A control: the classes checked above include the services the web layers call, with their
    // nested records, and not the persistence package's own classes only.
    assertThat(LayerGuard.coreClassNames())
        .contains(
            "org.oniondrop.dropbox.core.service.JournalistService",
            "org.oniondrop.dropbox.core.service.ConversationService",
            "org.oniondrop.dropbox.core.service.SubmissionService$DocumentUpload",
            "org.oniondrop.dropbox.core.upload.UploadPipeline",
            "org.oniondrop.dropbox.core.view.ApiRows$SubmissionRow",
            "org.oniondrop.dropbox.core.persistence.Source");
  }

  /**
   * Signatures the check must refuse: each hides an entity where an erased descriptor would not.
   */
  public static final class Leaky {
    public Optional<Source> optional() {
      return Optional.empty();
    }

    public CompletableFuture<List<Submission>> nested() {
      return CompletableFuture.completedFuture(List.of());
    }

    public void wildcard(List<? extends Journalist> in) {}

    public Map<String, Source[]> array() {
      return Map.of();
    }

    public <T extends Submission> void bound(T t) {}

    public Function<String, Optional<Journalist>> lookup;

    public Journalist plain() {
      return null;
    }

    // Not reachable from another module: ignored.
    Optional<Source> packagePrivate() {
      return Optional.empty();
    }

    private Source hidden() {
      return null;
    }
  }

  /** A base the web modules cannot name, whose public method they can still call on its heir. */
  abstract static class HiddenBase {
    public Optional<Submission> inherited() {
      return Optional.empty();
    }
  }

  /** Public: {@code heir.inherited()} compiles in another module. */
  public static final class Heir extends HiddenBase {}

  /** What a view-only class looks like: nothing to report. */
  public static final class Clean {
    public Optional<String> uuid() {
      return Optional.empty();
    }

    public List<Map<String, Integer>> rows() {
      return List.of();
    }

    Source internal() {
      return null;
    }
  }

  /** A class the web modules cannot name at all: its members do not count. */
  static final class Hidden {
    public Optional<Source> find() {
      return Optional.empty();
    }
  }

  @Test
  void theCheckFindsEntitiesHiddenInTypeArgumentsBoundsAndArrays() {
    assertThat(LayerGuard.persistenceTypesIn(List.of(Leaky.class.getName())))
        .containsExactlyInAnyOrder(
            Leaky.class.getName() + "#optional: java.util.Optional<" + Source.class.getName() + ">",
            Leaky.class.getName()
                + "#nested: java.util.concurrent.CompletableFuture<java.util.List<"
                + Submission.class.getName()
                + ">>",
            Leaky.class.getName()
                + "#wildcard parameter: java.util.List<? extends "
                + Journalist.class.getName()
                + ">",
            Leaky.class.getName()
                + "#array: java.util.Map<java.lang.String, "
                + Source.class.getName()
                + "[]>",
            Leaky.class.getName() + "#bound parameter: T",
            Leaky.class.getName() + "#bound type parameter: T",
            Leaky.class.getName()
                + "#lookup: java.util.function.Function<java.lang.String, java.util.Optional<"
                + Journalist.class.getName()
                + ">>",
            Leaky.class.getName() + "#plain: " + Journalist.class.getName());
    assertThat(LayerGuard.persistenceTypesIn(List.of(Heir.class.getName())))
        .containsExactly(
            Heir.class.getName()
                + "#inherited: java.util.Optional<"
                + Submission.class.getName()
                + ">");
    assertThat(
            LayerGuard.persistenceTypesIn(
                List.of(Clean.class.getName(), Hidden.class.getName(), HiddenBase.class.getName())))
        .isEmpty();
  }
}
