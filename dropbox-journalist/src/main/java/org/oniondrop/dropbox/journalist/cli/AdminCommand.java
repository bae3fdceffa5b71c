package org.oniondrop.dropbox.journalist.cli;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.PrintStream;
import org.oniondrop.crypto.totp.Totp;
import org.oniondrop.dropbox.core.service.JournalistError;
import org.oniondrop.dropbox.core.service.JournalistService;
import org.oniondrop.dropbox.journalist.web.JournalistErrors;
import org.oniondrop.dropbox.journalist.web.Qr;

/**
 * {@code create-admin}: the first admin without a web form open to the world. Creates an admin
 * account with a generated diceware passphrase and TOTP secret and prints both once, with the
 * otpauth URI as a terminal QR code. Nothing is logged; the secrets go only to the given stream
 * (the operator's terminal).
 */
@ApplicationScoped
public class AdminCommand {

  /** Exit status for a usage error, as sysexits' EX_USAGE. */
  public static final int EXIT_USAGE = 64;

  /** Exit status when the account cannot be created (taken or invalid username). */
  public static final int EXIT_REFUSED = 65;

  @Inject JournalistService journalists;
  @Inject JournalistErrors errors;

  /** Arguments after {@code create-admin}: USERNAME [FIRST_NAME [LAST_NAME]]. */
  public int createAdmin(String[] args, PrintStream out, PrintStream err) {
    if (args.length < 1 || args.length > 3) {
      err.println("usage: create-admin USERNAME [FIRST_NAME [LAST_NAME]]");
      return EXIT_USAGE;
    }
    JournalistService.NewAccount account;
    try {
      account =
          journalists.create(
              args[0], args.length > 1 ? args[1] : null, args.length > 2 ? args[2] : null, true);
    } catch (JournalistError e) {
      // The same bundle text a page shows for this reason (JournalistErrors), never free text.
      err.println("create-admin: " + errors.text(e.reason()));
      return EXIT_REFUSED;
    }
    try {
      print(account, out);
    } finally {
      JournalistService.wipe(account.passphrase());
    }
    return 0;
  }

  /** Prints a new account's secrets once, for the person at the terminal. */
  public void print(JournalistService.NewAccount account, PrintStream out) {
    String uri = journalists.otpauthUri(account.journalist(), account.totpSecret());
    out.println("Admin account created: " + account.journalist().username());
    out.println("Passphrase (shown once, write it down): " + new String(account.passphrase()));
    out.println("TOTP secret (add to an authenticator app): " + Totp.base32(account.totpSecret()));
    out.println("TOTP URI: " + uri);
    out.println();
    out.print(Qr.terminal(uri));
    out.println();
    out.println("Log in on the journalist interface with the passphrase and a code from the app.");
  }
}
