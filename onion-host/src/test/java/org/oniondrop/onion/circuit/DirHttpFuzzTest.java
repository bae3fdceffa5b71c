package org.oniondrop.onion.circuit;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.oniondrop.onion.embedded.DirRequest;

/**
 * Fuzz targets for directory HTTP over BEGIN_DIR (dir-spec §6.2): a client parsing an HSDir's
 * response and an HSDir parsing a request. Neither may throw at all: a bad message is a status.
 */
class DirHttpFuzzTest {

  /** The embedded HSDir's request limit. */
  private static final int MAX_REQUEST = 64 * 1024;

  @FuzzTest
  void response(byte[] input) {
    DirClient.Response r = DirClient.parse(input);
    if (r.status() < 0 || r.body().length > input.length) {
      throw new IllegalStateException("impossible response");
    }
  }

  @FuzzTest
  void request(byte[] input) {
    DirRequest.Result r = DirRequest.parse(input, MAX_REQUEST);
    if (r instanceof DirRequest.Request req && req.body().length > input.length) {
      throw new IllegalStateException("body longer than the request");
    }
  }
}
