package org.oniondrop.dropbox.journalist.web;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;
import java.util.List;

/**
 * Client-authorization keys of the journalist onion service, one per journalist or device, added
 * and revoked without a restart (beyond SecureDrop, where journalists share one key). The server
 * provides the real implementation.
 */
public interface ClientKeys {

  /** The names of the authorized keys. */
  List<String> clientKeys();

  /**
   * Makes a new key named {@code name} and authorizes it at once.
   *
   * @return the client's {@code .auth_private} line, to hand over once and never store here
   */
  String authorizeClient(String name) throws IOException;

  /** Revokes the key named {@code name} at once. */
  void revokeClient(String name) throws IOException;

  /** Without onion hosting there are no keys to manage. */
  @ApplicationScoped
  class Defaults {
    @Produces
    @DefaultBean
    @ApplicationScoped
    ClientKeys none() {
      return new ClientKeys() {
        @Override
        public List<String> clientKeys() {
          return List.of();
        }

        @Override
        public String authorizeClient(String name) {
          throw new IllegalArgumentException("this server hosts no onion services");
        }

        @Override
        public void revokeClient(String name) {
          throw new IllegalArgumentException("this server hosts no onion services");
        }
      };
    }
  }
}
