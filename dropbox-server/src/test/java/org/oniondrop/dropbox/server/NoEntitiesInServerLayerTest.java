package org.oniondrop.dropbox.server;

import org.oniondrop.dropbox.core.testing.WebLayerGuardContract;

/**
 * Issue 16 for the server module (start-up, first run, listeners, the quarantine command): like the
 * two interfaces, it reaches dropbox-core through its services only, never a JPA entity or
 * repository of {@code org.oniondrop.dropbox.core.persistence} (sources, constant pools and
 * dropbox-core's public signatures; see {@link WebLayerGuardContract}).
 */
class NoEntitiesInServerLayerTest extends WebLayerGuardContract {

  /** This module has ~12 sources. */
  @Override
  protected int minFiles() {
    return 8;
  }

  @Override
  protected String classUsingCore() {
    return "org/oniondrop/dropbox/server/FirstRun";
  }

  @Override
  protected String coreClassUsed() {
    return "org/oniondrop/dropbox/core/service/JournalistService";
  }
}
