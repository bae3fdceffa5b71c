package org.oniondrop.dropbox.source.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.Locale;
import org.oniondrop.crypto.words.Codename;
import org.oniondrop.crypto.words.WordList;
import org.oniondrop.dropbox.core.admission.ClientId;
import org.oniondrop.dropbox.core.service.SourceService;
import org.oniondrop.dropbox.source.session.SourceSession;

/**
 * Whether a message holds the sending source's own codename, checked without having the codename:
 * every run of seven word-list words is derived and compared with the session's source id. The
 * submission path calls only {@link #contains}; how the check works is this class's business (it is
 * to become a keyed-digest compare over every window, issue 19).
 */
@ApplicationScoped
public class CodenameInMessage {

  /** At most this many 7-word windows of a message are derived (each costs a memory-hard KDF). */
  static final int MAX_CODENAME_CHECKS = 16;

  @Inject SourceService sources;

  /** Whether {@code message} contains the codename of {@code session}'s source. */
  public boolean contains(SourceSession session, ClientId client, String message) {
    String[] words = message.toLowerCase(Locale.ROOT).split("[^a-z-]+");
    WordList list = WordList.effLarge();
    int checks = 0;
    for (int i = 0; i + 7 <= words.length && checks < MAX_CODENAME_CHECKS; i++) {
      boolean all = true;
      for (int j = i; j < i + 7; j++) {
        all &= list.contains(words[j]);
      }
      if (!all) {
        continue;
      }
      checks++;
      Codename candidate = Codename.parse(String.join(" ", Arrays.copyOfRange(words, i, i + 7)));
      String id;
      try {
        // through the bounded KDF gate: a busy server answers 503, never piles work up
        id = sources.sourceIdOf(client, candidate);
      } finally {
        candidate.destroy();
      }
      if (id.equals(session.credentials().sourceId())) {
        return true;
      }
    }
    return false;
  }
}
