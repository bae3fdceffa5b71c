package org.oniondrop.onion.dir;

/**
 * Fetches a directory document from a fallback's ORPort, over a one-hop circuit and BEGIN_DIR
 * (dir-spec §4, tor-spec §6.2): the way tor clients talk to directory caches. Implemented where the
 * link code lives ({@code nativenet.BeginDirFetcher}); tests give fakes.
 */
@FunctionalInterface
public interface OrPortFetcher {

  /** The body of a 200 answer to {@code GET path}, at most {@code maxBytes}. */
  String get(FallbackDir fallback, String path, int maxBytes) throws DirException;

  /** For a directory with no fallbacks configured. */
  OrPortFetcher NONE =
      (f, path, max) -> {
        throw new DirException(f + ": no ORPort fetcher");
      };
}
