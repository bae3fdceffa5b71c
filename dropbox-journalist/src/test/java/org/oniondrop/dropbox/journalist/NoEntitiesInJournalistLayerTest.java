package org.oniondrop.dropbox.journalist;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.oniondrop.dropbox.core.testing.LayerGuard;
import org.oniondrop.dropbox.core.testing.WebLayerGuardContract;
import org.oniondrop.dropbox.core.view.ApiRows;
import org.oniondrop.dropbox.core.view.JournalistView;

/**
 * Issue 16: the journalist web and API layers get view records from dropbox-core's services ({@code
 * org.oniondrop.dropbox.core.view}), never a JPA entity or a repository of {@code
 * org.oniondrop.dropbox.core.persistence}, and hold no JPQL of their own. Checked in the sources
 * (an import or a fully qualified name), in the compiled classes, whose constant pools name every
 * class a method touches, so an entity reached through {@code var} or a chained call without any
 * import is caught as well, and in dropbox-core's public API, whose signatures may hide no entity
 * in a type argument ({@link WebLayerGuardContract}, {@link LayerGuard}).
 */
class NoEntitiesInJournalistLayerTest extends WebLayerGuardContract {

  /** This module has ~45 sources. */
  @Override
  protected int minFiles() {
    return 30;
  }

  @Override
  protected String classUsingCore() {
    return "org/oniondrop/dropbox/journalist/web/Page";
  }

  @Override
  protected String coreClassUsed() {
    return "org/oniondrop/dropbox/core/view/JournalistView";
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
