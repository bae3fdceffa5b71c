/**
 * Time periods, shared random values and the HSDir hash ring (rend-spec-v3 §2.2.1-§2.2.4).
 *
 * <p>Time is always the consensus valid-after time, never the wall clock. On a test network
 * (TestingTorNetwork) C tor ignores {@code hsdir_interval} and uses 24 voting intervals per period
 * with an offset of 12: {@link org.oniondrop.onion.hsdir.HsDirParams#testingNetwork} reproduces
 * that, or addresses would blind to keys no client looks for.
 */
package org.oniondrop.onion.hsdir;
