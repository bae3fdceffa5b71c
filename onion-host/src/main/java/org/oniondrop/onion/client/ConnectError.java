package org.oniondrop.onion.client;

/**
 * Why a connection failed, with the SOCKS5 reply code (RFC 1928 and Tor's extended codes, proposal
 * 304) that Tor Browser-style clients turn into a message.
 */
public enum ConnectError {
  GENERAL_FAILURE(0x01),
  HOST_UNREACHABLE(0x04),
  CONNECTION_REFUSED(0x05),
  TTL_EXPIRED(0x06),
  COMMAND_NOT_SUPPORTED(0x07),
  ADDRESS_TYPE_NOT_SUPPORTED(0x08),
  /** Onion service descriptor can not be found. */
  DESCRIPTOR_NOT_FOUND(0xF0),
  /** Onion service descriptor is invalid. */
  DESCRIPTOR_INVALID(0xF1),
  /** Onion service introduction failed. */
  INTRODUCTION_FAILED(0xF2),
  /** Onion service rendezvous failed. */
  RENDEZVOUS_FAILED(0xF3),
  /** Onion service missing client authorization. */
  CLIENT_AUTH_MISSING(0xF4),
  /** Onion service wrong client authorization. */
  CLIENT_AUTH_WRONG(0xF5),
  /** Onion service invalid address. */
  BAD_ADDRESS(0xF6),
  /** Onion service introduction timed out. */
  INTRODUCTION_TIMED_OUT(0xF7);

  private final int socksCode;

  ConnectError(int socksCode) {
    this.socksCode = socksCode;
  }

  public int socksCode() {
    return socksCode;
  }
}
