/**
 * The OnionDrop application: wires the source interface (and, as they are built, the journalist
 * interface and onion-host) into one Quarkus process.
 */
package org.oniondrop.dropbox.server;
