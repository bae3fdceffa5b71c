package org.oniondrop.onion.control;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Fuzz target for tor control-port replies (control-spec §2.3-§2.4): {@code TorControl} reads
 * whatever tor (or something pretending to be tor) sends; only its own {@link TorControlException}
 * (an {@link IOException}) may come out, and every bound holds.
 */
class ControlReplyFuzzTest {

  @FuzzTest
  void replies(byte[] input) {
    ByteArrayInputStream in = new ByteArrayInputStream(input);
    try {
      TorControl.Reply r;
      while ((r = TorControl.readReply(in)) != null) {
        if (r.lines().size() > TorControl.MAX_REPLY_LINES) {
          throw new IllegalStateException("reply longer than the bound");
        }
      }
    } catch (TorControlException expected) {
      // refused: the connection would be closed
    } catch (IOException e) {
      throw new IllegalStateException("only TorControlException may come out", e);
    }
  }
}
