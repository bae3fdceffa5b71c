package org.oniondrop.onion.embedded;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import org.oniondrop.onion.cert.CertException;
import org.oniondrop.onion.cert.Ed25519Cert;
import org.oniondrop.onion.descriptor.DescriptorException;
import org.oniondrop.onion.descriptor.NetDoc;
import org.oniondrop.onion.descriptor.OuterLayer;

/**
 * An HSDir's descriptor store (rend-spec-v3 §2.2.6; C tor hs_cache.c): descriptors are kept by
 * blinded key; an upload must be at most {@value NetDoc#MAX_DOCUMENT_BYTES} bytes, carry a signing
 * certificate signed by the blinded key it names, a valid signature, and a revision counter
 * strictly greater than the one cached. Entries expire after their lifetime.
 */
final class HsDirCache {

  /** Descriptors one HSDir keeps at most (a bound on memory; tor bounds by bytes). */
  static final int MAX_ENTRIES = 10_000;

  private record Entry(String text, long revision, Instant expires) {}

  private final Map<String, Entry> entries = new HashMap<>();
  private final Clock clock;

  HsDirCache(Clock clock) {
    this.clock = clock;
  }

  /** Stores {@code text}; returns an error message for the HTTP response, or empty on success. */
  Optional<String> store(String text) {
    if (text.length() > NetDoc.MAX_DOCUMENT_BYTES) {
      return Optional.of("descriptor too large");
    }
    OuterLayer outer;
    try {
      outer = OuterLayer.parse(text);
    } catch (DescriptorException e) {
      return Optional.of("malformed descriptor");
    }
    Instant now = clock.instant();
    Ed25519Cert cert = outer.signingKeyCert();
    byte[] blinded = cert.signingKey().orElse(null);
    if (blinded == null) {
      return Optional.of("signing certificate names no blinded key");
    }
    try {
      cert.verify(Ed25519Cert.TYPE_HS_DESC_SIGNING, blinded, now);
      outer.verifySignature();
    } catch (CertException | DescriptorException e) {
      return Optional.of("bad signature or certificate");
    }
    expire(now);
    String key = NetDoc.base64NoPad(blinded);
    Entry cached = entries.get(key);
    if (cached != null && Long.compareUnsigned(cached.revision(), outer.revisionCounter()) >= 0) {
      return Optional.of("revision counter not greater than the cached one");
    }
    if (cached == null && entries.size() >= MAX_ENTRIES) {
      return Optional.of("store full");
    }
    entries.put(
        key,
        new Entry(
            text, outer.revisionCounter(), now.plus(Duration.ofMinutes(outer.lifetimeMinutes()))));
    return Optional.empty();
  }

  /** The descriptor for a blinded key given as unpadded base64 (the fetch URL's form). */
  Optional<String> fetch(String blindedBase64) {
    expire(clock.instant());
    Entry e = entries.get(blindedBase64);
    return e == null ? Optional.empty() : Optional.of(e.text());
  }

  private void expire(Instant now) {
    for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
      if (!now.isBefore(it.next().expires())) {
        it.remove();
      }
    }
  }

  int size() {
    return entries.size();
  }
}
