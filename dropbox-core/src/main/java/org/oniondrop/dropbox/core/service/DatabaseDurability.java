package org.oniondrop.dropbox.core.service;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Makes a committed transaction durable before a source is told "received" (design promise 7).
 *
 * <p><b>H2</b> acknowledges a commit before writing it: its default {@code WRITE_DELAY} (500 ms)
 * batches commits in memory, so a SIGKILL loses what was committed in the last half second. At
 * start-up this sets {@code WRITE_DELAY 0} (persistent), so every commit is written to the file
 * before it returns (it then survives the process being killed), and {@link #syncAfterCommit} runs
 * {@code CHECKPOINT SYNC} (an fsync of the database file) after a submission's commit, so it also
 * survives a power loss. <b>PostgreSQL</b> makes a commit durable itself when {@code
 * synchronous_commit} and {@code fsync} are on (Debian's defaults); start-up refuses a server where
 * either is off, unless {@code oniondrop.database.allow-non-durable=true} (never in production).
 */
@Startup
@ApplicationScoped
public class DatabaseDurability {

  private static final Logger LOG = Logger.getLogger(DatabaseDurability.class.getName());

  @Inject AgroalDataSource dataSource;

  @ConfigProperty(name = "oniondrop.database.allow-non-durable", defaultValue = "false")
  boolean allowNonDurable;

  private volatile boolean h2;

  @PostConstruct
  void check() {
    try (Connection c = dataSource.getConnection();
        Statement st = c.createStatement()) {
      String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
      if (product.contains("h2")) {
        h2 = true;
        st.execute("SET WRITE_DELAY 0");
        String delay = setting(st, "WRITE_DELAY");
        if (!"0".equals(delay)) {
          throw new IllegalStateException("H2 refused WRITE_DELAY 0 (it reports " + delay + ")");
        }
      } else if (product.contains("postgres")) {
        String sync = show(st, "synchronous_commit");
        String fsync = show(st, "fsync");
        boolean durable = !"off".equals(sync) && !"local".equals(sync) && "on".equals(fsync);
        if (!durable) {
          String what = "synchronous_commit=" + sync + ", fsync=" + fsync;
          if (!allowNonDurable) {
            throw new IllegalStateException(
                "PostgreSQL would acknowledge commits that a crash can lose ("
                    + what
                    + "): set synchronous_commit = on and fsync = on");
          }
          LOG.warning(
              "PostgreSQL commits are not durable (" + what + "): allowed by configuration");
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot check the database's durability settings", e);
    }
  }

  /** Whether the database is H2 (embedded). */
  public boolean isH2() {
    return h2;
  }

  /**
   * Call after a commit whose success a person is about to be told about: on H2 fsyncs the database
   * file ({@code CHECKPOINT SYNC}); on PostgreSQL the commit already waited for its WAL flush, so
   * nothing is left to do.
   */
  public void syncAfterCommit() {
    if (!h2) {
      return;
    }
    try (Connection c = dataSource.getConnection();
        Statement st = c.createStatement()) {
      st.execute("CHECKPOINT SYNC");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot sync the database to disk", e);
    }
  }

  private static String setting(Statement st, String name) throws SQLException {
    try (ResultSet rs =
        st.executeQuery(
            "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = '"
                + name
                + "'")) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private static String show(Statement st, String name) throws SQLException {
    try (ResultSet rs = st.executeQuery("SHOW " + name)) {
      return rs.next() ? rs.getString(1).toLowerCase(Locale.ROOT) : null;
    }
  }
}
