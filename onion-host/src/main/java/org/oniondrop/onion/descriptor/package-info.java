/**
 * v3 onion-service descriptors (rend-spec-v3 §2.4, §2.5): the outer (plaintext, signed), middle
 * ("superencrypted", client-auth entries) and inner ("encrypted", introduction points) layers,
 * their encryption (§2.5.3), client authorization (§2.5.1.2), building and parsing.
 *
 * <p>Parsing is strict and bounded: a document over {@value
 * org.oniondrop.onion.descriptor.NetDoc#MAX_DOCUMENT_BYTES} bytes, more than {@value
 * org.oniondrop.onion.descriptor.NetDoc#MAX_ITEMS} items, an object over {@value
 * org.oniondrop.onion.descriptor.NetDoc#MAX_OBJECT_BYTES} bytes, a repeated or missing required
 * keyword, or more than {@value org.oniondrop.onion.descriptor.InnerLayer#MAX_INTRO_POINTS}
 * introduction points is a {@link org.oniondrop.onion.descriptor.DescriptorException} with its
 * reason; nothing is allocated from an unchecked length.
 */
package org.oniondrop.onion.descriptor;
