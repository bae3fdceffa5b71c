package org.oniondrop.onion.link;

import java.util.ArrayList;
import java.util.List;
import org.oniondrop.onion.bytes.ByteReader;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.bytes.DecodeException;

/**
 * A CERTS cell (tor-spec §4.2): {@code N(1) | N × (CertType(1) | CLEN(2) | Cert(CLEN))}. The
 * certificates are kept as bytes; {@link CertsVerifier} interprets them.
 */
public record Certs(List<Entry> entries) {

  /** CERTS is variable-length cell command 129. */
  public static final int COMMAND = 129;

  /** X.509 certificate of the RSA-1024 identity key, self-signed. */
  public static final int RSA_ID_X509 = 2;

  /** Ed25519 identity key certifying the Ed25519 signing key (cert-spec type 04). */
  public static final int ED_ID_SIGNING = 4;

  /** Ed25519 signing key certifying the SHA-256 of the TLS certificate (cert-spec type 05). */
  public static final int ED_SIGNING_LINK = 5;

  /** RSA identity key cross-certifying the Ed25519 identity key (cert-spec §2.3, type 07). */
  public static final int RSA_ED_CROSSCERT = 7;

  /** A relay sends 4 or 5 certificates; a longer list is refused. */
  public static final int MAX_CERTS = 16;

  /** One certificate: its type and encoded bytes. */
  public record Entry(int type, byte[] body) {}

  public Certs {
    entries = List.copyOf(entries);
  }

  public static Certs decode(byte[] payload) throws DecodeException {
    ByteReader r = ByteReader.of(payload);
    int n = r.u8("certificate count");
    if (n > MAX_CERTS) {
      throw new DecodeException("CERTS lists " + n + " certificates, more than " + MAX_CERTS);
    }
    List<Entry> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int type = r.u8("certificate type");
      int len = r.u16("certificate length");
      out.add(new Entry(type, r.bytes(len, "certificate")));
    }
    r.expectEnd("CERTS cell");
    return new Certs(out);
  }

  public byte[] encode() {
    ByteWriter w = new ByteWriter(1024);
    w.u8(entries.size());
    for (Entry e : entries) {
      w.u8(e.type()).u16(e.body().length).bytes(e.body());
    }
    return w.toByteArray();
  }

  /**
   * The single certificate of {@code type}.
   *
   * @throws LinkException if there is none, or more than one (tor-spec §4.2 forbids duplicates)
   */
  public byte[] only(int type) throws LinkException {
    byte[] found = null;
    for (Entry e : entries) {
      if (e.type() == type) {
        if (found != null) {
          throw new LinkException("CERTS holds two certificates of type " + type);
        }
        found = e.body();
      }
    }
    if (found == null) {
      throw new LinkException("CERTS has no certificate of type " + type);
    }
    return found;
  }
}
