/**
 * What crosses from dropbox-core to the web and API layers: immutable records copied from the
 * entities inside a service's transaction. A class of dropbox-source or dropbox-journalist reads
 * these, never an entity of {@code org.oniondrop.dropbox.core.persistence}: no public signature of
 * dropbox-core names one ({@code CoreApiBoundaryTest}), and each web module's {@code
 * NoEntitiesIn*LayerTest} holds its sources and classes to naming none. The entity-to-record copies
 * are package-private in the service package ({@code Views}).
 */
package org.oniondrop.dropbox.core.view;
