package org.oniondrop.onion.service;

import java.nio.charset.StandardCharsets;

/**
 * The HAProxy PROXY protocol v1 line with which C tor's {@code HiddenServiceExportCircuitID
 * haproxy} starts every stream it forwards to a local target (tor(1); connection_edge.c
 * export_hs_client_circuit_id), reproduced byte for byte so that a target configured for tor works
 * with onion-host unchanged:
 *
 * <pre>
 * PROXY TCP6 fc00:dead:beef:4dad::HHHH:LLLL ::1 SRCPORT VIRTPORT\r\n
 * </pre>
 *
 * The last 32 bits of the source address are the rendezvous circuit's global identifier (HHHH its
 * high and LLLL its low 16 bits, lower-case hex without leading zeros), SRCPORT is its low 16 bits
 * in decimal, VIRTPORT the onion service's virtual port the client connected to. The fc00::/7 range
 * (RFC 4193) cannot collide with a real address. Nothing in the line identifies the client beyond
 * its circuit; a local target may key fairness limits on it.
 */
public final class CircuitIdExport {

  /** The PROXY protocol v1 maximum line length (proxy-protocol.txt §2.1): 107 bytes. */
  public static final int MAX_LINE_BYTES = 107;

  private CircuitIdExport() {}

  /** The line for a stream on circuit {@code globalId} to virtual port {@code virtualPort}. */
  public static byte[] haproxyLine(int globalId, int virtualPort) {
    if (virtualPort < 0 || virtualPort > 0xffff) {
      throw new IllegalArgumentException("virtual port out of range");
    }
    int high = globalId >>> 16;
    int low = globalId & 0xffff;
    String line =
        "PROXY TCP6 fc00:dead:beef:4dad::"
            + Integer.toHexString(high)
            + ":"
            + Integer.toHexString(low)
            + " ::1 "
            + low
            + " "
            + virtualPort
            + "\r\n";
    return line.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * The global circuit identifier in an exported source address, in any IPv6 text form (as tor
   * writes it, or as a PROXY protocol parser normalised it); empty if the address is not in
   * fc00:dead:beef:4dad::/64.
   */
  public static java.util.OptionalLong circuitIdOf(String sourceAddress) {
    String a =
        sourceAddress.startsWith("[") && sourceAddress.endsWith("]")
            ? sourceAddress.substring(1, sourceAddress.length() - 1)
            : sourceAddress;
    if (a.isEmpty() || a.length() > 45 || !a.contains(":") || !a.matches("[0-9A-Fa-f:]+")) {
      return java.util.OptionalLong.empty(); // only IPv6 literals: never a name lookup
    }
    byte[] raw;
    try {
      raw = java.net.InetAddress.getByName(a).getAddress();
    } catch (java.net.UnknownHostException e) {
      return java.util.OptionalLong.empty();
    }
    if (raw.length != 16 || !java.util.Arrays.equals(raw, 0, 8, PREFIX, 0, 8)) {
      return java.util.OptionalLong.empty();
    }
    return java.util.OptionalLong.of(java.nio.ByteBuffer.wrap(raw, 12, 4).getInt() & 0xffffffffL);
  }

  private static final byte[] PREFIX = {
    (byte) 0xfc, 0x00, (byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 0x4d, (byte) 0xad
  };
}
