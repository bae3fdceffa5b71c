package org.oniondrop.dropbox.core.testing;

import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.util.Optional;
import java.util.function.Function;
import org.oniondrop.dropbox.core.persistence.Journalist;
import org.oniondrop.dropbox.core.persistence.JournalistRepository;
import org.oniondrop.dropbox.core.persistence.Reply;
import org.oniondrop.dropbox.core.persistence.ReplyRepository;
import org.oniondrop.dropbox.core.persistence.Source;
import org.oniondrop.dropbox.core.persistence.SourceRepository;

/**
 * Test-only reads of entity rows, for the web modules' {@code @QuarkusTest}s that check what was
 * stored (a source's reply key, its pending flag, a reply's file name). dropbox-core's services
 * return view records only ({@code CoreApiBoundaryTest}); a test that must see a row's columns
 * reads it here, through the repositories, in a transaction of its own (or the caller's), as the
 * services' {@code @Transactional} finders did. The row comes back detached.
 */
public final class EntityRows {

  private EntityRows() {}

  private static <R, T> T read(Class<R> repository, Function<R, T> query) {
    R rows = Arc.container().instance(repository).get();
    return QuarkusTransaction.joiningExisting().call(() -> query.apply(rows));
  }

  /** The source of source id (filesystem id) {@code sourceId}. */
  public static Optional<Source> sourceById(String sourceId) {
    return read(SourceRepository.class, r -> r.findByFilesystemId(sourceId));
  }

  /** The source {@code uuid}. */
  public static Optional<Source> source(String uuid) {
    return read(SourceRepository.class, r -> r.findByUuid(uuid));
  }

  /** The journalist account {@code uuid}. */
  public static Optional<Journalist> journalist(String uuid) {
    return read(JournalistRepository.class, r -> r.findByUuid(uuid));
  }

  /** The journalist account named {@code username}. */
  public static Optional<Journalist> journalistNamed(String username) {
    return read(JournalistRepository.class, r -> r.findByUsername(username));
  }

  /** The reply {@code uuid}. */
  public static Optional<Reply> reply(String uuid) {
    return read(ReplyRepository.class, r -> r.findByUuid(uuid));
  }
}
