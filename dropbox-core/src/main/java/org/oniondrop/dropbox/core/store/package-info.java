/**
 * The encrypted store: one directory per source id under {@code <data-dir>/store}, holding only
 * OpenPGP ciphertext named like SecureDrop's ({@code N-<designation>-msg.gpg}, {@code
 * N-<designation>-doc.gz.gpg}, {@code N-<designation>-reply.gpg}).
 *
 * <p>Guarantees: every path goes through {@link org.oniondrop.dropbox.core.store.EncryptedStore}'s
 * one confinement check (source id and file name shapes, then a resolved-path prefix check); a
 * write goes to a temporary name, is fsynced, renamed, and the directory fsynced, before the caller
 * commits the database row; at start-up only temporary ({@code .part}) files are removed, and
 * finished files without rows go to the {@link org.oniondrop.dropbox.core.store.Quarantine} for an
 * admin (ciphertext is never destroyed without an order). Deletion sets the file aside, waits for
 * the row deletion to commit, then overwrites and unlinks: on SSDs (wear levelling) and journaling
 * or copy-on-write file systems the old blocks may survive; full-disk encryption is what protects
 * them (see docs).
 */
package org.oniondrop.dropbox.core.store;
