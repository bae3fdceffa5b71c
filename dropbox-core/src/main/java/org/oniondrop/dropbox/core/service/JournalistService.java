package org.oniondrop.dropbox.core.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.oniondrop.crypto.Passphrases;
import org.oniondrop.crypto.SecretBytes;
import org.oniondrop.crypto.kdf.Argon2idParameters;
import org.oniondrop.crypto.kdf.KdfParameters;
import org.oniondrop.crypto.kdf.KdfPolicy;
import org.oniondrop.crypto.passphrase.PassphraseHasher;
import org.oniondrop.crypto.passphrase.PassphraseRejectedException;
import org.oniondrop.crypto.totp.Totp;
import org.oniondrop.dropbox.core.admission.ClientId;
import org.oniondrop.dropbox.core.admission.KdfGate;
import org.oniondrop.dropbox.core.config.DropboxConfig;
import org.oniondrop.dropbox.core.persistence.Journalist;
import org.oniondrop.dropbox.core.persistence.JournalistRepository;
import org.oniondrop.dropbox.core.persistence.ReplyRepository;
import org.oniondrop.dropbox.core.view.JournalistView;

/**
 * Journalist accounts: creation with a generated passphrase and TOTP secret, login (passphrase +
 * TOTP, one step either side, a used step refused), throttling (more than {@code maxFailedLogins}
 * failures in the window refuses the user), passphrase change and 2FA reset.
 */
@ApplicationScoped
public class JournalistService {

  private static final Logger LOG = Logger.getLogger(JournalistService.class.getName());

  /** Usernames: what SecureDrop allows, bounded. */
  public static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._-]{3,64}");

  /** Names are optional and short. */
  public static final int MAX_NAME = 100;

  /**
   * The system user that replies of deleted journalists point at, as in SecureDrop ({@code
   * Journalist.get_deleted}): a real row with a uuid, so API clients can resolve every reply's
   * author. It has no TOTP secret, so it can never log in, and the name is reserved.
   */
  public static final String DELETED_USERNAME = "deleted";

  /** Why a login failed. */
  public enum LoginFailure {
    BAD_CREDENTIALS,
    CODE_REUSED,
    THROTTLED
  }

  /** The result of a login attempt. */
  public record LoginResult(JournalistView journalist, LoginFailure failure) {}

  /** A new account's secrets, to show once. */
  public record NewAccount(JournalistView journalist, char[] passphrase, SecretBytes totpSecret) {}

  @Inject EntityManager em;
  @Inject JournalistRepository journalistRows;
  @Inject ReplyRepository replyRows;
  @Inject Clock clock;
  @Inject DropboxConfig config;
  @Inject KdfGate kdf;

  /**
   * Whom a journalist login's Argon2id run is charged to in the KDF gate: the account tried, so
   * guessing at one account cannot hold more than its share of the gate.
   */
  private static ClientId journalistClient(String username) {
    return new ClientId(ClientId.Kind.SESSION, "journalist:" + username);
  }

  private final SecureRandom random = new SecureRandom();
  private volatile LoginThrottle throttle;
  private volatile PassphraseHasher hasher;

  /**
   * The hash unknown usernames are verified against, so that a login for a name that does not exist
   * costs the same Argon2 work as one that does (no username enumeration by timing).
   */
  private volatile String dummyHash;

  LoginThrottle throttle() {
    LoginThrottle t = throttle;
    if (t == null) {
      synchronized (this) {
        t = throttle;
        if (t == null) {
          t =
              new LoginThrottle(
                  config.journalists().maxFailedLogins(), config.journalists().throttleWindow());
          throttle = t;
        }
      }
    }
    return t;
  }

  private String dummyHash() {
    String h = dummyHash;
    if (h == null) {
      char[] p = hasher().generate();
      try {
        h = hasher().hash(p);
      } catch (PassphraseRejectedException e) {
        throw new IllegalStateException("a generated passphrase was refused", e);
      } finally {
        Passphrases.wipe(p);
      }
      dummyHash = h;
    }
    return h;
  }

  PassphraseHasher hasher() {
    PassphraseHasher h = hasher;
    if (h == null) {
      KdfParameters p = KdfParameters.parse(config.journalists().passphraseKdf());
      if (!(p instanceof Argon2idParameters argon)) {
        throw new IllegalStateException("journalist passphrases need argon2id parameters");
      }
      h =
          new PassphraseHasher(
              argon,
              config.journalists().allowTestKdf() ? KdfPolicy.TESTS_ONLY : KdfPolicy.PRODUCTION,
              random);
      hasher = h;
    }
    return h;
  }

  public Totp totp() {
    return new Totp(clock);
  }

  /** Creates an account with a generated passphrase and TOTP secret (shown once by the caller). */
  @Transactional
  public NewAccount create(String username, String firstName, String lastName, boolean admin) {
    checkUsername(username);
    if (DELETED_USERNAME.equals(username)) {
      throw new JournalistError(JournalistError.Reason.USERNAME_RESERVED);
    }
    if (findByUsername(username).isPresent()) {
      throw new JournalistError(JournalistError.Reason.USERNAME_TAKEN);
    }
    char[] passphrase = hasher().generate();
    SecretBytes secret = Totp.newSecret(random);
    Journalist j = new Journalist();
    j.uuid = UUID.randomUUID().toString();
    j.username = username;
    j.firstName = trim(firstName);
    j.lastName = trim(lastName);
    j.admin = admin;
    j.createdAt = clock.instant();
    try {
      j.passphraseHash = hasher().hash(passphrase);
    } catch (PassphraseRejectedException e) {
      throw new IllegalStateException("a generated passphrase was refused", e);
    }
    j.totpSecret = Totp.base32(secret);
    em.persist(j);
    return new NewAccount(Views.journalist(j), passphrase, secret);
  }

  private static String trim(String s) {
    if (s == null || s.isBlank()) {
      return null;
    }
    String t = s.strip();
    if (t.length() > MAX_NAME) {
      throw new JournalistError(JournalistError.Reason.NAME_TOO_LONG);
    }
    return t;
  }

  static void checkUsername(String username) {
    if (username == null || !USERNAME.matcher(username).matches()) {
      throw new JournalistError(JournalistError.Reason.USERNAME_INVALID);
    }
  }

  @Transactional
  Optional<Journalist> findByUsername(String username) {
    return journalistRows.findByUsername(username);
  }

  @Transactional
  Optional<Journalist> findByUuid(String uuid) {
    return journalistRows.findByUuid(uuid);
  }

  /** The account {@code uuid} as the web and API layers see it, if it exists. */
  @Transactional
  public Optional<JournalistView> view(String uuid) {
    return uuid == null ? Optional.empty() : findByUuid(uuid).map(Views::journalist);
  }

  /** The account {@code uuid}, or {@link JournalistError.Reason#NO_SUCH_USER}. */
  @Transactional
  public JournalistView requireView(String uuid) {
    return Views.journalist(existing(uuid));
  }

  /** The account {@code uuid}, or {@link JournalistError.Reason#NO_SUCH_USER}. */
  private Journalist existing(String uuid) {
    return findByUuid(uuid)
        .orElseThrow(() -> new JournalistError(JournalistError.Reason.NO_SUCH_USER));
  }

  /**
   * The account {@code uuid} for a change of its credentials or details; never the system "deleted"
   * user ({@link JournalistError.Reason#SYSTEM_USER}): giving it a passphrase and a TOTP secret
   * would turn the author of every deleted journalist's replies into a working login.
   */
  private Journalist changeable(String uuid) {
    Journalist j = existing(uuid);
    if (DELETED_USERNAME.equals(j.username)) {
      throw new JournalistError(JournalistError.Reason.SYSTEM_USER);
    }
    return j;
  }

  /** Every account but the system "deleted" user, for the users page and the first-run check. */
  @Transactional
  public List<JournalistView> all() {
    return journalistRows.findAllExcept(DELETED_USERNAME).stream().map(Views::journalist).toList();
  }

  /** The system "deleted" user, created on first need (it can never log in: no TOTP secret). */
  @Transactional
  Journalist deletedUser() {
    Optional<Journalist> found = findByUsername(DELETED_USERNAME);
    if (found.isPresent()) {
      return found.get();
    }
    Journalist j = new Journalist();
    j.uuid = UUID.randomUUID().toString();
    j.username = DELETED_USERNAME;
    j.admin = false;
    j.createdAt = clock.instant();
    char[] unusable = hasher().generate();
    try {
      j.passphraseHash = hasher().hash(unusable);
    } catch (PassphraseRejectedException e) {
      throw new IllegalStateException("a generated passphrase was refused", e);
    } finally {
      wipe(unusable);
    }
    j.totpSecret = null;
    em.persist(j);
    return j;
  }

  @Transactional
  public long adminCount() {
    return journalistRows.countAdmins();
  }

  /**
   * Checks username, passphrase and TOTP code, in this order of hardening:
   *
   * <ol>
   *   <li>the username's shape ({@link #USERNAME}) before anything else: a malformed name is
   *       refused at once and never reaches the throttle table or the database;
   *   <li>the throttle ({@link LoginThrottle}): the attempt is counted atomically before any work;
   *   <li>the passphrase, with the same Argon2 work whether or not the user exists;
   *   <li>the TOTP code; its step is then claimed with one conditional UPDATE ({@code set
   *       totp_last_step = :step where id = :id and (totp_last_step is null or totp_last_step <
   *       :step)}), so two logins racing with the same code cannot both pass: the database's row
   *       lock orders them and the second matches no row ({@link LoginFailure#CODE_REUSED}).
   * </ol>
   *
   * The passphrase is not wiped (the caller owns it).
   */
  @Transactional
  public LoginResult login(String username, char[] passphrase, String code) {
    if (username == null || !USERNAME.matcher(username).matches() || passphrase == null) {
      return new LoginResult(null, LoginFailure.BAD_CREDENTIALS);
    }
    if (!throttle().tryAcquire(username, clock.instant())) {
      return new LoginResult(null, LoginFailure.THROTTLED);
    }
    Journalist j = findByUsername(username).orElse(null);
    // The same Argon2id work whether or not the account exists (a dummy hash for unknown names),
    // charged to the account tried in the bounded KDF gate.
    String hash = j == null ? dummyHash() : j.passphraseHash;
    boolean verified = kdf.run(journalistClient(username), () -> hasher().verify(passphrase, hash));
    boolean passOk = j != null && verified;
    if (!passOk) {
      return new LoginResult(null, LoginFailure.BAD_CREDENTIALS);
    }
    OptionalLong step =
        j.totpSecret == null
            ? OptionalLong.empty()
            : totp().verify(Totp.parseBase32(j.totpSecret), code);
    if (step.isEmpty()) {
      return new LoginResult(null, LoginFailure.BAD_CREDENTIALS);
    }
    if (!claimTotpStep(j, step.getAsLong())) {
      return new LoginResult(null, LoginFailure.CODE_REUSED);
    }
    j.lastAccess = clock.instant();
    if (hasher().needsRehash(j.passphraseHash)) {
      try {
        j.passphraseHash = hasher().hash(passphrase);
      } catch (PassphraseRejectedException e) {
        LOG.fine("could not rehash a passphrase");
      }
    }
    throttle().clear(username);
    return new LoginResult(Views.journalist(j), null);
  }

  /**
   * Claims TOTP step {@code step} for {@code j} if it is later than the last one used, atomically
   * in the database (see {@link #login}); also used when a code re-authenticates an action.
   */
  boolean claimTotpStep(Journalist j, long step) {
    int updated = journalistRows.advanceTotpStep(j.id, step);
    if (updated != 1) {
      return false;
    }
    // Keep the managed entity in step with the row, so a later flush cannot write an older value.
    j.totpLastStep = step;
    return true;
  }

  /**
   * Re-authenticates a logged-in journalist before an action that could hand over the dropbox
   * (replacing the submission key, changing one's passphrase, making an admin, resetting another
   * user's credentials): the passphrase again and a <em>fresh</em> TOTP code, i.e. one for a step
   * later than any used before (so the code that opened the session, or one seen over a shoulder
   * and already used, does not do). Attempts count towards the same throttle as logins, so a stolen
   * session cannot be used to guess the passphrase quickly.
   */
  @Transactional
  public LoginResult reauthenticate(String uuid, char[] passphrase, String code) {
    Journalist j = uuid == null ? null : findByUuid(uuid).orElse(null);
    if (j == null || passphrase == null) {
      return new LoginResult(null, LoginFailure.BAD_CREDENTIALS);
    }
    if (!throttle().tryAcquire(j.username, clock.instant())) {
      return new LoginResult(null, LoginFailure.THROTTLED);
    }
    String hash = j.passphraseHash;
    if (!kdf.run(journalistClient(j.username), () -> hasher().verify(passphrase, hash))) {
      return new LoginResult(null, LoginFailure.BAD_CREDENTIALS);
    }
    OptionalLong step =
        j.totpSecret == null
            ? OptionalLong.empty()
            : totp().verify(Totp.parseBase32(j.totpSecret), code);
    if (step.isEmpty()) {
      return new LoginResult(null, LoginFailure.BAD_CREDENTIALS);
    }
    if (!claimTotpStep(j, step.getAsLong())) {
      return new LoginResult(null, LoginFailure.CODE_REUSED);
    }
    throttle().clear(j.username);
    return new LoginResult(Views.journalist(j), null);
  }

  /** Sets a new generated passphrase; returns it to show once. */
  @Transactional
  public char[] resetPassphrase(String uuid) {
    Journalist j = changeable(uuid);
    char[] passphrase = hasher().generate();
    try {
      j.passphraseHash = hasher().hash(passphrase);
    } catch (PassphraseRejectedException e) {
      throw new IllegalStateException(e);
    }
    return passphrase;
  }

  /** Activates a new TOTP secret once a code from it verifies (enrollment and 2FA reset). */
  @Transactional
  public boolean enrollTotp(String uuid, SecretBytes secret, String code) {
    Journalist j = changeable(uuid);
    OptionalLong step = totp().verify(secret, code);
    if (step.isEmpty()) {
      return false;
    }
    j.totpSecret = Totp.base32(secret);
    j.totpLastStep = step.getAsLong();
    return true;
  }

  /** Removes a user's TOTP secret (reset): they cannot log in until a new one is enrolled. */
  @Transactional
  public void clearTotp(String uuid) {
    Journalist j = changeable(uuid);
    j.totpSecret = null;
    j.totpLastStep = null;
  }

  /** A fresh TOTP secret for enrollment (not active until {@link #enrollTotp}). */
  public SecretBytes newTotpSecret() {
    return Totp.newSecret(random);
  }

  public String otpauthUri(JournalistView j, SecretBytes secret) {
    return Totp.otpauthUri(config.journalists().totpIssuer(), j.username(), secret);
  }

  @Transactional
  public void update(String uuid, String firstName, String lastName, Boolean admin) {
    Journalist j = changeable(uuid);
    j.firstName = trim(firstName);
    j.lastName = trim(lastName);
    if (admin != null) {
      if (!admin && j.admin && adminCount() <= 1) {
        throw new JournalistError(JournalistError.Reason.LAST_ADMIN);
      }
      j.admin = admin;
    }
  }

  @Transactional
  public void delete(String uuid) {
    Journalist j = changeable(uuid);
    if (j.admin && adminCount() <= 1) {
      throw new JournalistError(JournalistError.Reason.LAST_ADMIN);
    }
    // Their replies stay attributed to the system "deleted" user (SecureDrop's Journalist.delete).
    Journalist deleted = deletedUser();
    replyRows.reattribute(j, deleted);
    em.remove(j);
  }

  /** Wipes a passphrase the caller no longer needs. */
  public static void wipe(char[] passphrase) {
    Passphrases.wipe(passphrase);
  }
}
