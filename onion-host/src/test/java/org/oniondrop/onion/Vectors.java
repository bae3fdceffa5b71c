package org.oniondrop.onion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Reads the test vectors copied from shared/vectors into src/test/resources/vectors. */
public final class Vectors {

  private Vectors() {}

  /** All entries of {@code file}. */
  public static List<JsonNode> load(String file) {
    try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + file)) {
      if (in == null) {
        throw new IllegalArgumentException("no vector file " + file);
      }
      JsonNode root = new ObjectMapper().readTree(in);
      List<JsonNode> out = new ArrayList<>();
      root.get("vectors").forEach(out::add);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The entry named {@code name} (the first one). */
  public static JsonNode named(String file, String name) {
    return load(file).stream()
        .filter(v -> name.equals(v.path("name").asText()))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException(file + " has no vector " + name));
  }

  public static byte[] hex(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null) {
      throw new IllegalArgumentException("vector has no field " + field);
    }
    return HexFormat.of().parseHex(value.asText());
  }

  public static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  public static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  public static byte[] ascii(JsonNode node, String field) {
    return node.get(field).asText().getBytes(StandardCharsets.US_ASCII);
  }
}
