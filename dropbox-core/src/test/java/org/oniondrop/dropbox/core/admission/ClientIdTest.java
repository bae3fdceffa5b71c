package org.oniondrop.dropbox.core.admission;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The circuit id in tor's HiddenServiceExportCircuitID address, and the fallbacks. */
class ClientIdTest {

  @Test
  void readsTheGlobalCircuitIdFromTheLast32Bits() {
    assertThat(ClientId.circuitOf("fc00:dead:beef:4dad::1:2")).contains(0x10002L);
    assertThat(ClientId.circuitOf("fc00:dead:beef:4dad:0:0:ffff:ffff")).contains(0xffffffffL);
    assertThat(ClientId.circuitOf("[fc00:dead:beef:4dad::0:7]")).contains(7L);
    assertThat(ClientId.of("fc00:dead:beef:4dad::0:7", "cookie"))
        .isEqualTo(new ClientId(ClientId.Kind.CIRCUIT, "7"));
  }

  @Test
  void anyOtherAddressFallsBackToTheSessionThenAnonymous() {
    assertThat(ClientId.circuitOf("127.0.0.1")).isEmpty();
    assertThat(ClientId.circuitOf("::1")).isEmpty();
    assertThat(ClientId.circuitOf("fc00:dead:beef:4dae::1")).isEmpty();
    assertThat(ClientId.circuitOf("fc00:dead:beef:4dad:1::1")).isEmpty();
    assertThat(ClientId.circuitOf("localhost")).isEmpty();
    assertThat(ClientId.circuitOf(null)).isEmpty();
    assertThat(ClientId.of("127.0.0.1", "abc"))
        .isEqualTo(new ClientId(ClientId.Kind.SESSION, "abc"));
    assertThat(ClientId.of("127.0.0.1", null)).isEqualTo(ClientId.ANONYMOUS_CLIENT);
    assertThat(ClientId.of("127.0.0.1", "x".repeat(65))).isEqualTo(ClientId.ANONYMOUS_CLIENT);
    assertThat(new ClientId(ClientId.Kind.SESSION, "secret").toString()).doesNotContain("secret");
  }
}
