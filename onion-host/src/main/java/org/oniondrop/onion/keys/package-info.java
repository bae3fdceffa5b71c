/**
 * Onion-service keys and names (rend-spec-v3 §1.9, §2.1, §6, App. A, App. F).
 *
 * <p>One type per key role: {@link org.oniondrop.onion.keys.HsIdentity} (KP_hs_id / KS_hs_id, the
 * long-term identity behind the onion address), {@link org.oniondrop.onion.keys.BlindedIdentity}
 * (KP_hs_blind_id for one time period, with its credential and subcredential), {@link
 * org.oniondrop.onion.keys.OnionAddress}, {@link org.oniondrop.onion.keys.ClientAuthKey} (x25519
 * restricted-discovery keys). {@link org.oniondrop.onion.keys.TorKeyFiles} reads and writes tor's
 * own key file formats, so a service moves freely between onion-host and tor.
 */
package org.oniondrop.onion.keys;
