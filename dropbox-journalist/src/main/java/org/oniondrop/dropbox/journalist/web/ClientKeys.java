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

  /** Why a key change was refused; the pages map each to a message of their own bundle. */
  enum Reason {
    /** The name is not 1-64 letters, digits, '-' or '_'. */
    INVALID_NAME,
    /** A key with that name exists. */
    EXISTS,
    /** No key has that name. */
    NO_SUCH_KEY,
    /**
     * It is the last authorized key: revoking it would leave the journalist service either open to
     * anyone with its address or (as built) unpublished. Add another key first.
     */
    LAST_KEY,
    /** This server hosts no onion services. */
    NO_ONION_HOSTING
  }

  /** A refused key change, with its reason and no free text. */
  final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    private final Reason reason;

    public Refused(Reason reason) {
      super(reason.name(), null, false, false);
      this.reason = reason;
    }

    public Reason reason() {
      return reason;
    }
  }

  /** The names of the authorized keys. */
  List<String> clientKeys();

  /**
   * Makes a new key named {@code name} and authorizes it at once.
   *
   * @return the client's {@code .auth_private} line, to hand over once and never store here
   */
  String authorizeClient(String name) throws IOException, Refused;

  /** Revokes the key named {@code name} at once; never the last one ({@link Reason#LAST_KEY}). */
  void revokeClient(String name) throws IOException, Refused;

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
        public String authorizeClient(String name) throws Refused {
          throw new Refused(Reason.NO_ONION_HOSTING);
        }

        @Override
        public void revokeClient(String name) throws Refused {
          throw new Refused(Reason.NO_ONION_HOSTING);
        }
      };
    }
  }
}
