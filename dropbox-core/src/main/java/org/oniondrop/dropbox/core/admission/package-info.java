/**
 * Admission of expensive work from anonymous clients (design promise 9): one bounded gate for every
 * memory-hard KDF and passphrase hash, per-client keyed limits, and the client identity they are
 * keyed by (the rendezvous circuit when the listener receives it, else the session).
 *
 * <p>Why: scrypt at SecureDrop's cost is 16 MiB and Argon2id at SecureDrop's journalist cost is 64
 * MiB per run. Run on an unbounded pool, a few hundred anonymous requests exhaust the heap (issue
 * 15: 200 concurrent session creations killed a 1 GiB JVM). Here work is admitted, never piled up:
 * a fixed number of runs at once, a short queue with a bound per client, and beyond that an
 * immediate {@link org.oniondrop.dropbox.core.admission.ServerBusyException} that the web layer
 * answers with 503 and a Retry-After.
 */
package org.oniondrop.dropbox.core.admission;
