package org.oniondrop.onion.crypto;

/** A cryptographic check failed (bad point, bad MAC, bad signature); never carries secrets. */
public class CryptoException extends Exception {
  private static final long serialVersionUID = 1L;

  public CryptoException(String message) {
    super(message);
  }
}
