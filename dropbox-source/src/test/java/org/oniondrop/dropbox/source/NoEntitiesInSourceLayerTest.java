package org.oniondrop.dropbox.source;

import org.oniondrop.dropbox.core.testing.WebLayerGuardContract;

/**
 * Issue 16 for the source interface: its pages and upload route work with source ids, codenames and
 * view values from dropbox-core's services, never a JPA entity or repository of {@code
 * org.oniondrop.dropbox.core.persistence} (sources, constant pools and dropbox-core's public
 * signatures; see {@link WebLayerGuardContract}).
 */
class NoEntitiesInSourceLayerTest extends WebLayerGuardContract {

  /** This module has ~19 sources. */
  @Override
  protected int minFiles() {
    return 15;
  }

  @Override
  protected String classUsingCore() {
    return "org/oniondrop/dropbox/source/web/SourceResource";
  }

  @Override
  protected String coreClassUsed() {
    return "org/oniondrop/dropbox/core/service/SourceService";
  }
}
