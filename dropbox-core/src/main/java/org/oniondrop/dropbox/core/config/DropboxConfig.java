package org.oniondrop.dropbox.core.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** Settings shared by both interfaces; environment variables use the ONIONDROP_ prefix. */
@ConfigMapping(prefix = "oniondrop")
public interface DropboxConfig {

  /** Where everything lives: the store, keys, the H2 database by default. */
  @WithDefault("data")
  Path dataDir();

  /** The instance's submission public key (armored or binary OpenPGP). */
  Optional<Path> submissionKey();

  /** Source secrets and KDF. */
  Sources sources();

  /** Upload and message limits. */
  Limits limits();

  /** The submission store. */
  Store store();

  /** Journalist accounts. */
  Journalists journalists();

  interface Journalists {
    /** Passphrase hashing (SecureDrop's Argon2id: 64 MiB, t=4, p=2). */
    @WithDefault("argon2id:m=65536,t=4,p=2")
    String passphraseKdf();

    /** Accept a cheap passphrase KDF; only the test profile sets this. */
    @WithDefault("false")
    boolean allowTestKdf();

    /** Failed logins per user within {@link #throttleWindow()} before logins are refused. */
    @WithDefault("5")
    int maxFailedLogins();

    /** The window of {@link #maxFailedLogins()} (SecureDrop: 60 s). */
    @WithDefault("PT60S")
    java.time.Duration throttleWindow();

    /** Name shown by authenticator apps. */
    @WithDefault("OnionDrop")
    String totpIssuer();
  }

  interface Sources {
    /**
     * The memory-hard KDF for source ids and reply-key passphrases, e.g. {@code
     * scrypt:N=16384,r=8,p=1} (SecureDrop's) or {@code argon2id:m=65536,t=3,p=1}.
     */
    @WithDefault("scrypt:N=16384,r=8,p=1")
    String kdf();

    /**
     * Accept KDF parameters below the production floor. Only the test profile sets this; a test
     * asserts that production refuses cheap parameters.
     */
    @WithDefault("false")
    boolean allowTestKdf();

    /**
     * Per-install secret salt for source ids, base64, at least 16 bytes. When absent it is
     * generated once into {@code <data-dir>/secrets/}.
     */
    Optional<String> idSalt();

    /** Per-install secret salt for reply-key passphrases; must differ from the id salt. */
    Optional<String> passphraseSalt();
  }

  interface Limits {
    /** Largest document a source may upload (SecureDrop: 500 MB). */
    @WithDefault("524288000")
    long maxUploadBytes();

    /** Longest message, in characters. */
    @WithDefault("100000")
    int maxMessageChars();

    /**
     * Largest submission: every file of one form plus its message, in bytes (SecureDrop caps the
     * whole request at 500 MB).
     */
    @WithDefault("524288000")
    long maxSubmissionBytes();

    /** Most files in one submission ({@code <input type="file" multiple>}). */
    @WithDefault("20")
    int maxFilesPerSubmission();

    /**
     * Slowest upload accepted, in bytes per second averaged over {@link #uploadRateWindow()}: a
     * slow-loris client is cut off with a clear page. Far below what Tor delivers (SecureDrop's
     * testers saw 0.6 to 1 Mbit/s, 75 to 125 kB/s, on bad days).
     */
    @WithDefault("1024")
    long minUploadBytesPerSecond();

    /** The window over which {@link #minUploadBytesPerSecond()} is measured. */
    @WithDefault("PT60S")
    java.time.Duration uploadRateWindow();

    /**
     * Uploads received at once; more get a "busy, try again" page. Each running upload holds about
     * 1.5 MiB (batches in flight, gzip and OpenPGP buffers), so 64 stay near 100 MiB of heap.
     */
    @WithDefault("64")
    int maxConcurrentUploads();

    /** Threads that encrypt and store uploads; 0 means one per core. */
    @WithDefault("0")
    int uploadThreads();
  }

  interface Store {
    /** Overwrite files with random bytes before unlinking them on deletion. */
    @WithDefault("true")
    boolean overwriteOnDelete();
  }
}
