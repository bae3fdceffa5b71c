/**
 * Time-based one-time passwords (RFC 6238 over RFC 4226): HMAC-SHA-1, 6 digits, 30-second steps,
 * the parameters every authenticator app supports.
 *
 * <p>Security guarantees: secrets are 160 bits from {@link java.security.SecureRandom} held in
 * {@link org.oniondrop.crypto.SecretBytes}; codes are compared in constant time; verification
 * returns the time step that matched so the caller can refuse a code used before (RFC 6238 §5.2).
 * The clock is injected, so tests drive time.
 */
package org.oniondrop.crypto.totp;
