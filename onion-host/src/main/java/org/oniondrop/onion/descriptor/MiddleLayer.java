package org.oniondrop.onion.descriptor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The decrypted first layer (rend-spec-v3 §2.5.1.2):
 *
 * <pre>
 * desc-auth-type x25519
 * desc-auth-ephemeral-key KEY        (base64 with padding)
 * auth-client ID IV COOKIE           (xN, base64 without padding: 8, 16, 16 bytes)
 * encrypted + MESSAGE                (the second layer)
 * </pre>
 *
 * The plaintext is NUL-padded to a multiple of {@value #PAD_MULTIPLE} bytes.
 */
public record MiddleLayer(byte[] ephemeralKey, List<AuthClient> authClients, byte[] encrypted) {

  /** HS_DESC_SUPERENC_PLAINTEXT_PAD_MULTIPLE. */
  public static final int PAD_MULTIPLE = 10_000;

  /** C tor writes fake entries so that the count is a multiple of this (hides the real count). */
  public static final int AUTH_CLIENT_MULTIPLE = 16;

  /** Entries accepted when parsing (each is ~60 bytes of a 50 KB descriptor). */
  public static final int MAX_AUTH_CLIENTS = 512;

  /** One client-authorization entry. */
  public record AuthClient(byte[] clientId, byte[] iv, byte[] encryptedCookie) {}

  public MiddleLayer {
    authClients = List.copyOf(authClients);
  }

  public static MiddleLayer parse(byte[] plaintext) throws DescriptorException {
    int end = plaintext.length;
    while (end > 0 && plaintext[end - 1] == 0) {
      end--;
    }
    String text = new String(plaintext, 0, end, StandardCharsets.US_ASCII);
    byte[] ephemeral = null;
    byte[] encrypted = null;
    boolean sawType = false;
    List<AuthClient> clients = new ArrayList<>();
    for (NetDoc.Item item : NetDoc.parse(text)) {
      switch (item.keyword()) {
        case "desc-auth-type" -> {
          if (sawType || !item.arg(0).equals("x25519")) {
            throw NetDoc.malformed("desc-auth-type must appear once, as x25519");
          }
          sawType = true;
        }
        case "desc-auth-ephemeral-key" -> {
          if (ephemeral != null) {
            throw NetDoc.malformed("desc-auth-ephemeral-key appears twice");
          }
          ephemeral =
              exact(NetDoc.base64(item.arg(0), "desc-auth-ephemeral-key"), 32, "ephemeral key");
        }
        case "auth-client" -> {
          if (clients.size() == MAX_AUTH_CLIENTS) {
            throw NetDoc.malformed("more than " + MAX_AUTH_CLIENTS + " auth-client lines");
          }
          clients.add(
              new AuthClient(
                  exact(NetDoc.base64(item.arg(0), "client id"), 8, "client id"),
                  exact(NetDoc.base64(item.arg(1), "iv"), 16, "iv"),
                  exact(NetDoc.base64(item.arg(2), "cookie"), 16, "encrypted cookie")));
        }
        case "encrypted" -> {
          if (encrypted != null) {
            throw NetDoc.malformed("encrypted appears twice");
          }
          encrypted = item.object("MESSAGE");
        }
        default -> {
          // Unknown keywords are ignored, for forward compatibility (dir-spec §1.2).
        }
      }
    }
    if (!sawType || ephemeral == null || encrypted == null) {
      throw NetDoc.malformed("middle layer lacks desc-auth-type, its ephemeral key or encrypted");
    }
    return new MiddleLayer(ephemeral, clients, encrypted);
  }

  static byte[] exact(byte[] value, int length, String what) throws DescriptorException {
    if (value.length != length) {
      throw NetDoc.malformed(what + " must be " + length + " bytes, is " + value.length);
    }
    return value;
  }

  /** The padded plaintext, as C tor writes it (no newline after the END line). */
  public byte[] encode() {
    StringBuilder out = new StringBuilder();
    out.append("desc-auth-type x25519\n");
    out.append("desc-auth-ephemeral-key ").append(NetDoc.base64Padded(ephemeralKey)).append('\n');
    for (AuthClient c : authClients) {
      out.append("auth-client ")
          .append(NetDoc.base64NoPad(c.clientId()))
          .append(' ')
          .append(NetDoc.base64NoPad(c.iv()))
          .append(' ')
          .append(NetDoc.base64NoPad(c.encryptedCookie()))
          .append('\n');
    }
    out.append("encrypted\n").append(NetDoc.object("MESSAGE", encrypted));
    byte[] text = out.toString().getBytes(StandardCharsets.US_ASCII);
    int padded = (text.length + PAD_MULTIPLE - 1) / PAD_MULTIPLE * PAD_MULTIPLE;
    return java.util.Arrays.copyOf(text, padded);
  }
}
