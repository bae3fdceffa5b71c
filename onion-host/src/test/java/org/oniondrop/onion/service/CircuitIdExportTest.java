package org.oniondrop.onion.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The PROXY line byte for byte as C tor's export_hs_client_circuit_id formats it. */
class CircuitIdExportTest {

  private static String line(int id, int port) {
    return new String(CircuitIdExport.haproxyLine(id, port), StandardCharsets.US_ASCII);
  }

  @Test
  void theLineMatchesTorsFormat() {
    // "%s:%x:%x %s %d %d\r\n" with prefix "fc00:dead:beef:4dad:", dst "::1", src port gid & 0xffff
    assertThat(line(0x12345678, 80))
        .isEqualTo("PROXY TCP6 fc00:dead:beef:4dad::1234:5678 ::1 22136 80\r\n");
    assertThat(line(5, 443)).isEqualTo("PROXY TCP6 fc00:dead:beef:4dad::0:5 ::1 5 443\r\n");
    assertThat(line(0x10000, 80)).isEqualTo("PROXY TCP6 fc00:dead:beef:4dad::1:0 ::1 0 80\r\n");
    // the man page's example: all bits set
    assertThat(line(-1, 42))
        .isEqualTo("PROXY TCP6 fc00:dead:beef:4dad::ffff:ffff ::1 65535 42\r\n");
    assertThat(CircuitIdExport.haproxyLine(-1, 65535).length)
        .isLessThanOrEqualTo(CircuitIdExport.MAX_LINE_BYTES);
  }

  @Test
  void theCircuitIdReadsBackFromAnyIpv6Spelling() {
    assertThat(CircuitIdExport.circuitIdOf("fc00:dead:beef:4dad::1234:5678")).hasValue(0x12345678L);
    assertThat(CircuitIdExport.circuitIdOf("fc00:dead:beef:4dad:0:0:1234:5678"))
        .hasValue(0x12345678L);
    assertThat(CircuitIdExport.circuitIdOf("[fc00:dead:beef:4dad::ffff:ffff]"))
        .hasValue(4294967295L);
    assertThat(CircuitIdExport.circuitIdOf("fc00:dead:beef:4dae::1")).isEmpty();
    assertThat(CircuitIdExport.circuitIdOf("127.0.0.1")).isEmpty();
    assertThat(CircuitIdExport.circuitIdOf("example.com")).isEmpty(); // never a name lookup
    assertThat(CircuitIdExport.circuitIdOf("")).isEmpty();
  }
}
