package org.oniondrop.dropbox.core.service;

import org.oniondrop.dropbox.core.persistence.Journalist;
import org.oniondrop.dropbox.core.persistence.Source;
import org.oniondrop.dropbox.core.view.ApiRows.JournalistRow;
import org.oniondrop.dropbox.core.view.JournalistView;
import org.oniondrop.dropbox.core.view.SourceView;

/**
 * Entity to view record, in one place and package-private: a public factory taking an entity would
 * put a persistence type into the API the web modules call ({@code CoreApiBoundaryTest}).
 */
final class Views {

  private Views() {}

  /** What the journalist pages see of an account: no passphrase hash, no TOTP secret. */
  static JournalistView journalist(Journalist j) {
    return new JournalistView(j.uuid, j.username, j.firstName, j.lastName, j.admin, j.lastAccess);
  }

  /** The API's row of an account. */
  static JournalistRow journalistRow(Journalist j) {
    return new JournalistRow(
        j.id, j.uuid, j.username, j.firstName, j.lastName, j.admin, j.lastAccess);
  }

  /** What the pages name of a source. */
  static SourceView source(Source s) {
    return new SourceView(s.uuid, s.designation);
  }
}
