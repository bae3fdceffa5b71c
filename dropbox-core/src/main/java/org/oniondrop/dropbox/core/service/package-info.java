/**
 * The dropbox's rules, shared by both interfaces: creating sources from codenames, storing
 * submissions (encrypt as they stream, commit the row only after the ciphertext is durable),
 * replies, and the crypto wiring (salts, KDF, submission key).
 */
package org.oniondrop.dropbox.core.service;
