package org.oniondrop.onion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.DecodeException;
import org.oniondrop.onion.cell.Begin;
import org.oniondrop.onion.cell.Cell;
import org.oniondrop.onion.cell.Connected;
import org.oniondrop.onion.cell.Created2;
import org.oniondrop.onion.cell.End;
import org.oniondrop.onion.cell.EstablishIntro;
import org.oniondrop.onion.cell.EstablishRendezvous;
import org.oniondrop.onion.cell.Extend2;
import org.oniondrop.onion.cell.IntroEstablished;
import org.oniondrop.onion.cell.Introduce1;
import org.oniondrop.onion.cell.IntroduceAck;
import org.oniondrop.onion.cell.IntroducePlaintext;
import org.oniondrop.onion.cell.RelayCell;
import org.oniondrop.onion.cell.Rendezvous1;
import org.oniondrop.onion.cell.Sendme;
import org.oniondrop.onion.cert.CertException;
import org.oniondrop.onion.cert.Ed25519Cert;
import org.oniondrop.onion.crypto.CryptoException;
import org.oniondrop.onion.descriptor.DescriptorException;
import org.oniondrop.onion.descriptor.HsDescriptor;
import org.oniondrop.onion.descriptor.InnerLayer;
import org.oniondrop.onion.handshake.HsNtor;
import org.oniondrop.onion.handshake.X25519Keys;
import org.oniondrop.onion.keys.OnionAddress;
import org.oniondrop.onion.keys.OnionAddressException;

/**
 * Every decoder, fed random, truncated and bit-flipped inputs (seeded, thousands of cases), only
 * ever throws its own decode exception: never an index, number-format, null-pointer or other
 * runtime exception that would take down a connection handler.
 */
class RobustnessTest {

  private static final long SEED = 0x0D0D_2026L;
  private static final int CASES_PER_SEED_INPUT = 600;

  interface Decoder {
    void decode(byte[] input) throws Exception;
  }

  private record Target(
      Decoder decoder, List<Class<? extends Exception>> allowed, List<byte[]> seeds) {}

  private static Map<String, Target> binaryTargets() {
    Map<String, Target> t = new LinkedHashMap<>();
    List<Class<? extends Exception>> decode = List.of(DecodeException.class);
    List<byte[]> cells = seeds("cells-hs.json");
    List<byte[]> relay = seeds("relay-cells.json");
    t.put(
        "Cell",
        new Target(
            b -> Cell.decode(ByteReader.of(b)),
            decode,
            List.of(new byte[514], hex("00000000070006000400050000"))));
    t.put("RelayCell", new Target(RelayCell::decode, decode, List.of(new byte[509])));
    t.put(
        "EstablishIntro", new Target(b -> EstablishIntro.decode(ByteReader.of(b)), decode, cells));
    t.put(
        "IntroEstablished",
        new Target(b -> IntroEstablished.decode(ByteReader.of(b)), decode, cells));
    t.put("Introduce1", new Target(b -> Introduce1.decode(ByteReader.of(b)), decode, cells));
    t.put(
        "IntroducePlaintext",
        new Target(b -> IntroducePlaintext.decode(ByteReader.of(b)), decode, cells));
    t.put("IntroduceAck", new Target(b -> IntroduceAck.decode(ByteReader.of(b)), decode, cells));
    t.put(
        "EstablishRendezvous",
        new Target(b -> EstablishRendezvous.decode(ByteReader.of(b)), decode, cells));
    t.put("Rendezvous1", new Target(b -> Rendezvous1.decode(ByteReader.of(b)), decode, cells));
    t.put("Begin", new Target(b -> Begin.decode(ByteReader.of(b)), decode, relay));
    t.put("Connected", new Target(b -> Connected.decode(ByteReader.of(b)), decode, relay));
    t.put("End", new Target(b -> End.decode(ByteReader.of(b)), decode, relay));
    t.put("Sendme", new Target(b -> Sendme.decode(ByteReader.of(b)), decode, relay));
    t.put("Extend2", new Target(b -> Extend2.decode(ByteReader.of(b)), decode, cells));
    t.put("Created2", new Target(b -> Created2.decode(ByteReader.of(b)), decode, cells));
    t.put(
        "Ed25519Cert", new Target(Ed25519Cert::decode, List.of(CertException.class), certSeeds()));
    JsonNode g = Vectors.named("hs-ntor.json", "rend_spec_appendix_G1");
    X25519Keys b = X25519Keys.fromSecret(Vectors.hex(g, "KS_hss_ntor_b"));
    byte[][] subcred = {Vectors.hex(g, "N_hs_subcred")};
    t.put(
        "HsNtor.service(INTRODUCE2)",
        new Target(
            in ->
                HsNtor.service(
                    Introduce1.decode(ByteReader.of(in)),
                    b,
                    subcred,
                    new java.security.SecureRandom()),
            List.of(DecodeException.class, CryptoException.class),
            List.of(Vectors.hex(g, "introduce1_body"))));
    return t;
  }

  @Test
  void binaryDecodersOnlyThrowTheirOwnExceptions() {
    Random random = new Random(SEED);
    int total = 0;
    for (Map.Entry<String, Target> e : binaryTargets().entrySet()) {
      Target target = e.getValue();
      for (byte[] seed : target.seeds()) {
        for (int i = 0; i < CASES_PER_SEED_INPUT; i++) {
          byte[] input = mutate(seed, random);
          check(e.getKey(), target, input);
          total++;
        }
      }
    }
    assertThat(total).isGreaterThan(10_000);
  }

  @Test
  void descriptorParsingOnlyThrowsDescriptorException() throws Exception {
    Random random = new Random(SEED + 1);
    JsonNode v = Vectors.named("descriptor-decrypt.json", "arti_hsdesc1_no_client_auth");
    String text = v.get("descriptor_text").asText();
    byte[] blinded = Vectors.hex(v, "blinded_pubkey");
    byte[] subcred = Vectors.hex(v, "subcredential");
    Instant at = Instant.parse(v.get("valid_at").asText());
    byte[] inner =
        Vectors.named("descriptor-inner.json", "arti_inner_plain")
            .get("text")
            .asText()
            .getBytes(StandardCharsets.US_ASCII);
    Target open =
        new Target(
            in ->
                HsDescriptor.open(
                    new String(in, StandardCharsets.ISO_8859_1), blinded, subcred, null, at),
            List.of(DescriptorException.class),
            List.of(text.getBytes(StandardCharsets.US_ASCII)));
    Target innerTarget =
        new Target(InnerLayer::parse, List.of(DescriptorException.class), List.of(inner));
    for (int i = 0; i < 2000; i++) {
      check("HsDescriptor.open", open, mutateText(text, random));
      check("InnerLayer.parse", innerTarget, mutate(inner, random));
    }
  }

  @Test
  void onionAddressParsingOnlyThrowsItsException() {
    Random random = new Random(SEED + 2);
    String good = "25njqamcweflpvkl73j4szahhihoc4xt3ktcgjnpaingr5yhkenl5sid.onion";
    for (int i = 0; i < 3000; i++) {
      byte[] mutated = mutate(good.getBytes(StandardCharsets.US_ASCII), random);
      try {
        OnionAddress.parse(new String(mutated, StandardCharsets.ISO_8859_1));
      } catch (OnionAddressException expected) {
        // fine
      } catch (RuntimeException e) {
        fail("OnionAddress.parse threw " + e + " on " + Vectors.hex(mutated));
      }
    }
  }

  private static void check(String name, Target target, byte[] input) {
    try {
      target.decoder().decode(input);
    } catch (Exception e) {
      if (target.allowed().stream().noneMatch(c -> c.isInstance(e))) {
        fail(
            name
                + " threw "
                + e
                + " on input "
                + Vectors.hex(Arrays.copyOf(input, Math.min(input.length, 64))),
            e);
      }
    }
  }

  /** Random bytes, truncations, extensions and bit flips of {@code seed}. */
  static byte[] mutate(byte[] seed, Random random) {
    switch (random.nextInt(5)) {
      case 0 -> {
        byte[] r = new byte[random.nextInt(600)];
        random.nextBytes(r);
        return r;
      }
      case 1 -> {
        return Arrays.copyOf(seed, seed.length == 0 ? 0 : random.nextInt(seed.length));
      }
      case 2 -> {
        byte[] r = Arrays.copyOf(seed, seed.length + 1 + random.nextInt(40));
        for (int i = seed.length; i < r.length; i++) {
          r[i] = (byte) random.nextInt(256);
        }
        return r;
      }
      default -> {
        byte[] r = seed.clone();
        int flips = 1 + random.nextInt(8);
        for (int i = 0; i < flips && r.length > 0; i++) {
          int pos = random.nextInt(r.length);
          r[pos] ^= (byte) (1 << random.nextInt(8));
        }
        return r;
      }
    }
  }

  /** Text-level mutations that keep more of the structure: line drops, duplicates, swaps, flips. */
  static byte[] mutateText(String text, Random random) {
    List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
    switch (random.nextInt(4)) {
      case 0 -> lines.remove(random.nextInt(lines.size()));
      case 1 -> lines.add(random.nextInt(lines.size()), lines.get(random.nextInt(lines.size())));
      case 2 -> {
        int i = random.nextInt(lines.size());
        int j = random.nextInt(lines.size());
        String tmp = lines.get(i);
        lines.set(i, lines.get(j));
        lines.set(j, tmp);
      }
      default -> {
        return mutate(text.getBytes(StandardCharsets.US_ASCII), random);
      }
    }
    return String.join("\n", lines).getBytes(StandardCharsets.US_ASCII);
  }

  private static List<byte[]> seeds(String file) {
    List<byte[]> out = new ArrayList<>();
    for (JsonNode v : Vectors.load(file)) {
      if (v.has("body")) {
        out.add(Vectors.hex(v, "body"));
      }
    }
    return out;
  }

  private static List<byte[]> certSeeds() {
    List<byte[]> out = new ArrayList<>();
    for (JsonNode v : Vectors.load("descriptor-certs.json")) {
      out.add(Vectors.hex(v.get("auth_key_cert"), "raw"));
    }
    return out;
  }

  private static byte[] hex(String s) {
    return Vectors.hex(s);
  }
}
