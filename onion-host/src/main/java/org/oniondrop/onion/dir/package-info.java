/**
 * The Tor directory as a client needs it (dir-spec §3.1, §3.4.1, §3.9.2, §5): trust anchors from
 * {@code DirAuthority} lines, authority key certificates, the microdescriptor consensus and its
 * signature check (a majority of the configured authorities), microdescriptors, and the on-disk
 * cache. Parsing and verification do no I/O; {@link org.oniondrop.onion.dir.DirectoryFetcher} is
 * the only class that opens sockets.
 */
package org.oniondrop.onion.dir;
