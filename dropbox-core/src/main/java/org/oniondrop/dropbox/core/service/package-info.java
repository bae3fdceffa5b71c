/**
 * The dropbox's rules, shared by both interfaces: creating sources from codenames, storing
 * submissions (encrypt as they stream, commit the row only after the ciphertext is durable),
 * replies; the source identity (salts and KDF, `SourceIdentity`) and the submission key
 * (`SubmissionKeys`), each its own bean.
 */
package org.oniondrop.dropbox.core.service;
