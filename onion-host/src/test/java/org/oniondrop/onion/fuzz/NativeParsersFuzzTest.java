package org.oniondrop.onion.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.oniondrop.onion.bytes.DecodeException;
import org.oniondrop.onion.dir.AuthorityCertificate;
import org.oniondrop.onion.dir.DirException;
import org.oniondrop.onion.dir.MicrodescConsensus;
import org.oniondrop.onion.dir.Microdescriptor;
import org.oniondrop.onion.link.Certs;
import org.oniondrop.onion.link.Netinfo;
import org.oniondrop.onion.link.Versions;

/**
 * Fuzz targets for what the native backend reads from relays and authorities (dir-spec §3, tor-spec
 * §4): directory documents may only throw {@link DirException}, link cells {@link DecodeException}.
 * (The parsers are the native backend's; the targets are here with the others.)
 */
class NativeParsersFuzzTest {

  @FuzzTest
  void directoryDocuments(byte[] input) {
    if (input.length == 0) {
      return;
    }
    String text = new String(input, 1, input.length - 1, StandardCharsets.ISO_8859_1);
    try {
      switch (Math.floorMod(input[0], 3)) {
        case 0 -> MicrodescConsensus.parse(text);
        case 1 -> Microdescriptor.parseAll(text);
        default -> AuthorityCertificate.parseAll(text);
      }
    } catch (DirException expected) {
      // refused
    }
  }

  @FuzzTest
  void linkCells(byte[] input) {
    if (input.length == 0) {
      return;
    }
    byte[] payload = java.util.Arrays.copyOfRange(input, 1, input.length);
    try {
      switch (Math.floorMod(input[0], 3)) {
        case 0 -> Certs.decode(payload);
        case 1 -> Netinfo.decode(payload);
        default -> Versions.decodePayload(payload);
      }
    } catch (DecodeException expected) {
      // refused
    }
  }
}
