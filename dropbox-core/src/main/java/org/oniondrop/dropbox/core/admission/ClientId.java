package org.oniondrop.dropbox.core.admission;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Who a request comes from, as far as an onion service can tell: the rendezvous circuit (one per
 * Tor Browser first-party site and SOCKS credentials, so one per client in practice), else the
 * session, else nobody in particular. Used only as an in-memory key for fairness; never logged,
 * never stored.
 *
 * <p>Tor's {@code HiddenServiceExportCircuitID haproxy} (and onion-host's equivalent) prefixes each
 * connection to the local target with a HAProxy PROXY v1 line whose source address is {@code
 * fc00:dead:beef:4dad::XXXX:YYYY}: the last 32 bits are the global identifier of the circuit the
 * stream arrived on (tor-manual, HiddenServiceExportCircuitID; tor's {@code
 * hs_circuit.c:export_hs_client_circuit_id}). The listener that accepts that header reports the
 * address as the connection's remote address; {@link #fromRemoteAddress} reads it back.
 *
 * @param kind how the client was told apart
 * @param key the in-memory key within that kind
 */
public record ClientId(Kind kind, String key) {

  /** How a client was told apart, from strongest to weakest. */
  public enum Kind {
    /** The rendezvous circuit the stream arrived on (exported through the PROXY protocol). */
    CIRCUIT,
    /** The session cookie (a client can mint sessions; bounded per circuit where known). */
    SESSION,
    /** Neither: everyone without a circuit or a session shares this one identity. */
    ANONYMOUS
  }

  /** The first 96 bits tor puts in front of the circuit id. */
  static final byte[] CIRCUIT_PREFIX = {
    (byte) 0xfc,
    0x00,
    (byte) 0xde,
    (byte) 0xad,
    (byte) 0xbe,
    (byte) 0xef,
    0x4d,
    (byte) 0xad,
    0,
    0,
    0,
    0
  };

  /** Everyone without a circuit or a session. */
  public static final ClientId ANONYMOUS_CLIENT = new ClientId(Kind.ANONYMOUS, "");

  public ClientId {
    if (kind == null || key == null) {
      throw new IllegalArgumentException("a client id needs a kind and a key");
    }
  }

  /** The circuit id carried by a remote address in tor's export prefix, if it is one. */
  public static Optional<Long> circuitOf(String remoteHost) {
    if (remoteHost == null || remoteHost.indexOf(':') < 0 || remoteHost.length() > 64) {
      return Optional.empty();
    }
    String literal = remoteHost;
    if (literal.startsWith("[") && literal.endsWith("]")) {
      literal = literal.substring(1, literal.length() - 1);
    }
    if (!literal.matches("[0-9a-fA-F:]+")) {
      return Optional.empty(); // only literals: never a name lookup
    }
    byte[] a;
    try {
      InetAddress address = InetAddress.getByName(literal);
      if (!(address instanceof Inet6Address)) {
        return Optional.empty();
      }
      a = address.getAddress();
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
    for (int i = 0; i < CIRCUIT_PREFIX.length; i++) {
      if (a[i] != CIRCUIT_PREFIX[i]) {
        return Optional.empty();
      }
    }
    long id =
        ((a[12] & 0xffL) << 24)
            | ((a[13] & 0xffL) << 16)
            | ((a[14] & 0xffL) << 8)
            | (a[15] & 0xffL);
    return Optional.of(id);
  }

  /**
   * The client of a request: its circuit when the remote address carries one, else its session (any
   * stable per-session value, e.g. the cookie), else {@link #ANONYMOUS_CLIENT}.
   */
  public static ClientId of(String remoteHost, String session) {
    Optional<Long> circuit = circuitOf(remoteHost);
    if (circuit.isPresent()) {
      return new ClientId(Kind.CIRCUIT, Long.toString(circuit.get()));
    }
    if (session != null && !session.isEmpty() && session.length() <= 64) {
      return new ClientId(Kind.SESSION, session);
    }
    return ANONYMOUS_CLIENT;
  }

  /** Whether this client was told apart by its circuit. */
  public boolean isCircuit() {
    return kind == Kind.CIRCUIT;
  }

  @Override
  public String toString() {
    return "ClientId[" + kind + ", redacted]";
  }
}
