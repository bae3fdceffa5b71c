/**
 * The {@code onion-host} command: key management in tor's file formats ({@code keygen}, {@code
 * address}, {@code client-auth-keygen}). Bad arguments or files give one line on stderr and a
 * non-zero exit, never a stack trace.
 */
package org.oniondrop.onion.cli;
