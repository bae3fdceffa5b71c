/**
 * Bounded byte readers and writers for Tor's binary formats (big-endian integers, length-prefixed
 * fields). Every read is checked against what remains, so a decoder never allocates from an
 * unchecked length field; a short or malformed input is a {@link
 * org.oniondrop.onion.bytes.DecodeException}.
 */
package org.oniondrop.onion.bytes;
