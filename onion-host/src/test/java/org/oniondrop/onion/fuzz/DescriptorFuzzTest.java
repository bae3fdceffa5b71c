package org.oniondrop.onion.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.oniondrop.onion.Vectors;
import org.oniondrop.onion.descriptor.DescriptorException;
import org.oniondrop.onion.descriptor.HsDescriptor;
import org.oniondrop.onion.descriptor.InnerLayer;
import org.oniondrop.onion.descriptor.MiddleLayer;
import org.oniondrop.onion.descriptor.OuterLayer;

/**
 * Fuzz targets for all three descriptor layers (rend-spec-v3 §2.4-§2.5): the outer document as an
 * HSDir and a client parse it, then the decrypted middle and inner plaintexts (fuzzed directly,
 * since a mutated ciphertext never passes the MAC). Only {@link DescriptorException} may come out.
 */
class DescriptorFuzzTest {

  private static final JsonNode VECTOR =
      Vectors.named("descriptor-decrypt.json", "arti_hsdesc1_no_client_auth");
  private static final byte[] BLINDED = Vectors.hex(VECTOR, "blinded_pubkey");
  private static final byte[] SUBCREDENTIAL = Vectors.hex(VECTOR, "subcredential");
  private static final Instant AT = Instant.parse(VECTOR.get("valid_at").asText());

  @FuzzTest
  void outerLayer(byte[] input) {
    String text = new String(input, StandardCharsets.ISO_8859_1);
    try {
      OuterLayer.parse(text);
    } catch (DescriptorException expected) {
      // refused
    }
    try {
      HsDescriptor.open(text, BLINDED, SUBCREDENTIAL, null, AT);
    } catch (DescriptorException expected) {
      // refused
    }
  }

  @FuzzTest
  void middleLayer(byte[] input) {
    try {
      MiddleLayer.parse(input);
    } catch (DescriptorException expected) {
      // refused
    }
  }

  @FuzzTest
  void innerLayer(byte[] input) {
    try {
      InnerLayer.parse(input);
    } catch (DescriptorException expected) {
      // refused
    }
  }
}
