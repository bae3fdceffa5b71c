/**
 * Entities (JPA, Hibernate ORM) and their queries. The schema is Flyway's ({@code db/migration}),
 * the same on H2 and PostgreSQL; Hibernate never generates it. No column holds a codename,
 * plaintext or an original file name: only derived ids, ciphertext metadata and the
 * passphrase-protected reply keys.
 */
package org.oniondrop.dropbox.core.persistence;
