package org.oniondrop.dropbox.journalist.web;

import jakarta.ws.rs.FormParam;

/**
 * The re-authentication fields of a form ({@code jreauth.html}): the acting journalist's passphrase
 * and a fresh two-factor code, read as one bean parameter by the actions that could hand over the
 * dropbox ({@link JournalistPage#reauthenticate}).
 */
public class Reauthentication {

  @FormParam("current_passphrase")
  String passphrase;

  @FormParam("current_token")
  String code;
}
