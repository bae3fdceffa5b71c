/**
 * What crosses from dropbox-core to the web and API layers: immutable records copied from the
 * entities inside a service's transaction. A class of dropbox-source or dropbox-journalist reads
 * these, never an entity of {@code org.oniondrop.dropbox.core.persistence} (for dropbox-journalist
 * a test, {@code NoEntitiesInJournalistLayerTest}, walks its sources and holds it to that).
 */
package org.oniondrop.dropbox.core.view;
