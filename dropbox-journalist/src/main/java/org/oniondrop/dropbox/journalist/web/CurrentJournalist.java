package org.oniondrop.dropbox.journalist.web;

import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;
import org.oniondrop.dropbox.core.service.JournalistError;

/**
 * Who is asking, as {@link JournalistGateFilter} established it for this request. A resource behind
 * the gate calls {@link #require()}; one that is not (a mistake) fails closed with a 403 rather
 * than running without a caller.
 */
@RequestScoped
public class CurrentJournalist {

  private Auth.Caller caller;

  void set(Auth.Caller caller) {
    this.caller = caller;
  }

  /** The caller, if the gate ran and passed. */
  public Optional<Auth.Caller> caller() {
    return Optional.ofNullable(caller);
  }

  /** The caller; {@link JournalistError.Reason#FORBIDDEN} if the gate did not run. */
  public Auth.Caller require() {
    if (caller == null) {
      throw new JournalistError(JournalistError.Reason.FORBIDDEN);
    }
    return caller;
  }
}
