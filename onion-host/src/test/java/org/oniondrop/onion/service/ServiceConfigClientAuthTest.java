package org.oniondrop.onion.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.oniondrop.onion.keys.HsIdentity;

/** Client authorization that fails closed: "required" with no key is never publishable. */
class ServiceConfigClientAuthTest {

  private final SecureRandom random = new SecureRandom();

  @Test
  void aServiceRequiringClientAuthIsPublishableOnlyWithAKey() {
    ServiceConfig open =
        ServiceConfig.of(
            HsIdentity.generate(random), 80, InetSocketAddress.createUnresolved("127.0.0.1", 1));
    assertThat(open.publishable()).isTrue(); // optional client auth: an open service
    ServiceConfig required = open.requiringClientAuth();
    assertThat(required.clientAuthRequired()).isTrue();
    assertThat(required.publishable()).isFalse();
    ServiceConfig withKey = required.withAuthorizedClients(List.of(new byte[32]));
    assertThat(withKey.publishable()).isTrue();
    // The requirement survives every copy, so removing the last key holds the service again.
    assertThat(withKey.withAuthorizedClients(List.of()).publishable()).isFalse();
    assertThat(withKey.withPowDefenses(true).withAuthorizedClients(List.of()).publishable())
        .isFalse();
  }
}
