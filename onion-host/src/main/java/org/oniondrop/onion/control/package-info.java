/**
 * A client for tor's control protocol (control-spec.txt): authentication, ADD_ONION with our own
 * keys, DEL_ONION, HS_DESC events; and {@link org.oniondrop.onion.control.TorOnionHost}, which
 * keeps services hosted across tor restarts.
 */
package org.oniondrop.onion.control;
