package org.oniondrop.onion.link;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.oniondrop.onion.net.RelayInfo;

/**
 * Where to connect and whom to expect there: an ORPort address and the identities the consensus
 * lists for it.
 *
 * @param ed25519Id null when the microdescriptor lists none (then only the RSA identity is checked)
 */
public record LinkTarget(String nickname, byte[] ipv4, int orPort, byte[] rsaId, byte[] ed25519Id) {

  public static LinkTarget of(RelayInfo relay) {
    return new LinkTarget(
        relay.nickname(), relay.ipv4(), relay.orPort(), relay.rsaId(), relay.ed25519Id());
  }

  public InetAddress address() {
    try {
      return InetAddress.getByAddress(ipv4);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("an IPv4 address has 4 bytes", e);
    }
  }

  @Override
  public String toString() {
    return nickname + "@" + address().getHostAddress() + ":" + orPort;
  }
}
