package org.oniondrop.dropbox.journalist.web;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** What the admin status page says about the onion services; the server provides the real one. */
public interface OnionStatus {

  String backend();

  String sourceAddress();

  String journalistAddress();

  boolean published();

  /** Whether the source service's descriptor is published now. */
  default boolean sourcePublished() {
    return published();
  }

  /**
   * True while the journalist service is held back because no client key is authorized (client
   * authorization fails closed: it is never published open to anyone).
   */
  default boolean journalistWaitingForClientKey() {
    return false;
  }

  /** Whether the journalist service's descriptor is published now. */
  default boolean journalistPublished() {
    return published();
  }

  /** Until the server wires onion-host: nothing is published. */
  @ApplicationScoped
  class Defaults {
    @Produces
    @DefaultBean
    @ApplicationScoped
    OnionStatus none() {
      return new OnionStatus() {
        @Override
        public String backend() {
          return "none";
        }

        @Override
        public String sourceAddress() {
          return null;
        }

        @Override
        public String journalistAddress() {
          return null;
        }

        @Override
        public boolean published() {
          return false;
        }
      };
    }
  }
}
