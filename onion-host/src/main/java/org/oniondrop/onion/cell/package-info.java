/**
 * Cells and relay messages (tor-spec §3, §5, §6; rend-spec-v3 §3-§4) as sans-IO codecs: each
 * message has {@code static X decode(ByteReader)} and {@code void encode(ByteWriter)} side by side,
 * never allocates from an unchecked length, and reports malformed input as a {@link
 * org.oniondrop.onion.bytes.DecodeException} naming the field.
 */
package org.oniondrop.onion.cell;
