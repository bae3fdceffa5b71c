package org.oniondrop.dropbox.server;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.oniondrop.dropbox.core.service.QuarantineService;
import org.oniondrop.dropbox.core.store.Quarantine;

/**
 * {@code oniondrop store quarantine list|restore|purge}: the admin's say over ciphertext the
 * start-up check found without a database row (run it with the server stopped, like create-admin:
 * embedded H2 allows one process). Entries are named {@code <source id>/<file name>} as {@code
 * list} prints them; {@code --all} takes every entry (for restore: every orphan).
 */
@ApplicationScoped
public class QuarantineCommand {

  static final int EXIT_OK = 0;
  static final int EXIT_REFUSED = 1;
  static final int EXIT_USAGE = 64;

  @Inject QuarantineService quarantine;

  int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length < 2 || !args[0].equals("quarantine")) {
      usage(err);
      return EXIT_USAGE;
    }
    String verb = args[1];
    List<String> names = List.of(args).subList(2, args.length);
    switch (verb) {
      case "list":
        if (!names.isEmpty()) {
          usage(err);
          return EXIT_USAGE;
        }
        List<Quarantine.Entry> all = quarantine.list();
        for (Quarantine.Entry e : all) {
          out.println(
              e.id()
                  + "\t"
                  + e.size()
                  + "\t"
                  + (e.deleted() ? "deleted-pending (purge only)" : "orphan (restorable)"));
        }
        out.println(all.size() + " quarantined files");
        return EXIT_OK;
      case "restore":
      case "purge":
        if (names.isEmpty()) {
          usage(err);
          return EXIT_USAGE;
        }
        List<Quarantine.Entry> chosen = new ArrayList<>();
        if (names.equals(List.of("--all"))) {
          for (Quarantine.Entry e : quarantine.list()) {
            if (verb.equals("purge") || !e.deleted()) {
              chosen.add(e);
            }
          }
        } else {
          for (String n : names) {
            Optional<Quarantine.Entry> e =
                quarantine.list().stream().filter(x -> x.id().equals(n)).findFirst();
            if (e.isEmpty()) {
              err.println("no such quarantined file: " + n);
              return EXIT_REFUSED;
            }
            chosen.add(e.get());
          }
        }
        int refused = 0;
        for (Quarantine.Entry e : chosen) {
          if (verb.equals("purge")) {
            quarantine.purge(e);
            out.println("purged " + e.id());
          } else {
            try {
              quarantine.restore(e);
              out.println("restored " + e.id());
            } catch (QuarantineService.RestoreRefusedException ex) {
              err.println("not restored " + e.id() + ": " + ex.getMessage());
              refused++;
            }
          }
        }
        return refused == 0 ? EXIT_OK : EXIT_REFUSED;
      default:
        usage(err);
        return EXIT_USAGE;
    }
  }

  static void usage(PrintStream err) {
    err.println("       oniondrop store quarantine list");
    err.println("       oniondrop store quarantine restore (SOURCE_ID/FILE ...|--all)");
    err.println("       oniondrop store quarantine purge (SOURCE_ID/FILE ...|--all)");
  }
}
