package org.oniondrop.dropbox.core.view;

import org.oniondrop.dropbox.core.persistence.Source;

/**
 * A source as the journalist pages address it: its uuid (what every action names) and its
 * designation (the folder of a download). The filesystem id and the keys stay in dropbox-core.
 */
public record SourceView(String uuid, String designation) {

  public static SourceView of(Source s) {
    return new SourceView(s.uuid, s.designation);
  }
}
