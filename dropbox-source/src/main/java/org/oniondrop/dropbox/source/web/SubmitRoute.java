package org.oniondrop.dropbox.source.web;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerFileUpload;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.oniondrop.dropbox.core.admission.ClientId;
import org.oniondrop.dropbox.core.admission.ServerBusyException;
import org.oniondrop.dropbox.core.config.DropboxConfig;
import org.oniondrop.dropbox.core.i18n.Language;
import org.oniondrop.dropbox.core.service.DropboxCrypto;
import org.oniondrop.dropbox.core.service.InstanceSettings;
import org.oniondrop.dropbox.core.service.SourceService;
import org.oniondrop.dropbox.core.service.SubmissionService;
import org.oniondrop.dropbox.core.store.StoreFullException;
import org.oniondrop.dropbox.source.session.SourceSession;
import org.oniondrop.dropbox.source.session.SourceSessions;

/**
 * {@code POST /submit}, outside JAX-RS on purpose: Quarkus' multipart support writes uploads to a
 * temporary directory in plaintext (design promise 1). Here Vert.x parses the multipart body as it
 * arrives and the file part is piped, with backpressure, into gzip and OpenPGP on a worker thread,
 * straight into the store. Nothing is buffered beyond {@value #QUEUE_HIGH} chunks.
 *
 * <p>Outcomes: 303 to {@code /received} once everything is durable and committed; 413 with a page
 * when the upload passes the limit (the connection is then closed); 400 for malformed multipart, a
 * missing or wrong CSRF token, or an empty submission; 401 for an expired session; 429 when
 * rate-limited. A cut-off upload leaves no file and no row.
 */
@ApplicationScoped
public class SubmitRoute {

  private static final Logger LOG = Logger.getLogger(SubmitRoute.class.getName());

  /** Route order: before the REST layer and any body handler. */
  static final int ORDER = -100;

  /** Multipart framing and the message field on top of the file limit. */
  static final long FRAMING_SLACK = 2L * 1024 * 1024;

  /** Chunks queued for the encrypting worker before the socket is paused. */
  static final int QUEUE_HIGH = 8;

  static final int QUEUE_LOW = 2;

  private static final AtomicInteger THREADS = new AtomicInteger();

  @Inject SourceSessions sessions;
  @Inject SubmissionService submissions;
  @Inject SourceService sources;
  @Inject InstanceSettings settings;
  @Inject DropboxCrypto crypto;
  @Inject DropboxConfig config;
  @Inject SourceLanguages languages;

  void register(@Observes Router router) {
    router.post("/submit").order(ORDER).handler(this::handle);
  }

  /** What the pre-checks decided. */
  private record Admission(
      ClientId client,
      SourceSession session,
      InstanceSettings.Settings settings,
      boolean firstSubmission,
      int status,
      String page,
      Language language) {}

  private void handle(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    req.pause();
    Context context = Vertx.currentContext();
    Cookie cookie = req.getCookie(SourceSessions.COOKIE);
    String contentType = req.getHeader("Content-Type");
    String length = req.getHeader("Content-Length");
    String cookieValue = cookie == null ? null : cookie.getValue();
    ClientId client = SourceResource.clientOf(ctx, cookieValue);
    Language fallback = languages.choice().choose(null, null, req.getHeader("Accept-Language"));
    ctx.vertx()
        .<Admission>executeBlocking(
            () -> admit(client, cookieValue, contentType, length, fallback), false)
        .onComplete(
            r -> {
              if (r.failed()) {
                respond(
                    ctx,
                    500,
                    renderError(fallback, languages.msg(fallback).error_upload_failed()),
                    true);
                return;
              }
              Admission a = r.result();
              if (a.status() != 0) {
                respond(ctx, a.status(), a.page(), true);
                return;
              }
              new Upload(ctx, context, a).start();
            });
  }

  private Admission admit(
      ClientId client, String cookie, String contentType, String length, Language fallback) {
    SourceSessions.Result found = sessions.find(cookie);
    InstanceSettings.Settings s = settings.current();
    SourceSession session = found.session();
    if (found.status() == SourceSessions.Lookup.EXPIRED || session == null || !session.loggedIn()) {
      String expired =
          languages
              .dress(
                  SourceResource.Templates.expired(s.organizationName()), fallback, "/login", null)
              .render();
      return new Admission(client, null, s, false, 401, expired, fallback);
    }
    Language language = session.language() != null ? session.language() : fallback;
    Msg msg = languages.msg(language);
    if (contentType == null
        || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      return reject(s, language, 400, msg.error_bad_request());
    }
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > config.limits().maxUploadBytes() + FRAMING_SLACK) {
          return reject(
              s,
              language,
              413,
              msg.error_too_large(SourceResource.humanSize(config.limits().maxUploadBytes())));
        }
      } catch (NumberFormatException e) {
        return reject(s, language, 400, msg.error_bad_request());
      }
    }
    // Submission allowances are charged in finish(), after the CSRF token and the body passed.
    boolean first =
        sources.findSource(session.credentials().sourceId()).map(src -> src.pending).orElse(true);
    return new Admission(client, session, s, first, 0, null, language);
  }

  private Admission reject(
      InstanceSettings.Settings s, Language language, int status, String message) {
    return new Admission(null, null, s, false, status, renderError(language, message), language);
  }

  private String renderError(Language language, String message) {
    return languages
        .dress(
            SourceResource.Templates.error(settings.current().organizationName(), message),
            language,
            "/",
            null)
        .render();
  }

  private static void respond(RoutingContext ctx, int status, String page, boolean close) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", "text/html; charset=UTF-8");
    if (close) {
      ctx.response().putHeader("Connection", "close");
    }
    ctx.response()
        .end(page)
        .onComplete(
            v -> {
              if (close && !ctx.request().isEnded()) {
                ctx.request().connection().close();
              }
            });
  }

  /** One upload in progress. */
  private final class Upload {
    private final RoutingContext ctx;
    private final Context context;
    private final Admission admission;
    private final ExecutorService lane;
    private final Msg msg;
    private final AtomicLong fileBytes = new AtomicLong();
    private final List<String> errors = new ArrayList<>();
    private volatile SubmissionService.DocumentUpload document;
    private volatile CompletableFuture<Void> fileDone;
    private volatile boolean finished;
    private volatile int errorStatus;

    Upload(RoutingContext ctx, Context context, Admission admission) {
      this.ctx = ctx;
      this.context = context;
      this.admission = admission;
      this.msg = languages.msg(admission.language());
      this.lane =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, "oniondrop-upload-" + THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
    }

    /** An error page in the source's language, with the log-out control (the source is in). */
    private String renderError(String message) {
      return languages
          .dress(
              SourceResource.Templates.error(settings.current().organizationName(), message),
              admission.language(),
              "/lookup",
              admission.session())
          .render();
    }

    void start() {
      HttpServerRequest req = ctx.request();
      req.setExpectMultipart(true);
      req.uploadHandler(this::onFile);
      req.exceptionHandler(e -> fail(400, msg.error_bad_request()));
      req.connection().closeHandler(v -> abandon());
      req.endHandler(v -> onEnd());
      req.resume();
    }

    private void onFile(HttpServerFileUpload upload) {
      boolean isFile =
          "file".equals(upload.name()) && upload.filename() != null && !upload.filename().isEmpty();
      if (!isFile || document != null || fileDone != null || errorStatus != 0) {
        upload.handler(b -> {});
        if (isFile && document != null) {
          fail(400, msg.error_bad_request());
        }
        return;
      }
      if (!admission.settings().allowDocumentUploads()) {
        upload.handler(b -> {});
        fail(403, msg.error_no_documents());
        return;
      }
      // Vert.x may only expose form fields once the body ended: a token seen now is checked now,
      // otherwise at the end, before anything is committed (the file is ciphertext meanwhile).
      String early = ctx.request().formAttributes().get("csrf_token");
      if (early != null && !admission.session().csrfMatches(early)) {
        upload.handler(b -> {});
        fail(400, msg.error_csrf());
        return;
      }
      upload.pause();
      CompletableFuture<Void> done = new CompletableFuture<>();
      fileDone = done;
      String original = upload.filename();
      lane.execute(
          () -> {
            try {
              document =
                  submissions.beginDocument(admission.session().credentials().sourceId(), original);
              context.runOnContext(
                  v ->
                      upload
                          .pipeTo(new EncryptingStream(done))
                          .onFailure(e -> done.completeExceptionally(e)));
            } catch (IOException | RuntimeException e) {
              done.completeExceptionally(e);
              context.runOnContext(v -> fail(failureStatus(e), failureMessage(e)));
            }
          });
    }

    /** Feeds file bytes to the worker; reports itself full to pause the socket. */
    private final class EncryptingStream implements WriteStream<Buffer> {
      private final CompletableFuture<Void> done;
      private final AtomicInteger queued = new AtomicInteger();
      private Handler<Void> drainHandler;

      EncryptingStream(CompletableFuture<Void> done) {
        this.done = done;
      }

      @Override
      public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        return this;
      }

      @Override
      public Future<Void> write(Buffer data) {
        Promise<Void> p = Promise.promise();
        write(data, p);
        return p.future();
      }

      @Override
      public void write(Buffer data, Handler<AsyncResult<Void>> handler) {
        long total = fileBytes.addAndGet(data.length());
        if (total > config.limits().maxUploadBytes()) {
          fail(
              413, msg.error_too_large(SourceResource.humanSize(config.limits().maxUploadBytes())));
          handler.handle(Future.failedFuture("too large"));
          return;
        }
        byte[] bytes = data.getBytes();
        queued.incrementAndGet();
        lane.execute(
            () -> {
              try {
                if (errorStatus == 0 && document != null) {
                  document.plaintext().write(bytes);
                }
              } catch (IOException | RuntimeException e) {
                context.runOnContext(v -> fail(failureStatus(e), failureMessage(e)));
              }
              if (queued.decrementAndGet() <= QUEUE_LOW) {
                context.runOnContext(
                    v -> {
                      Handler<Void> h = drainHandler;
                      if (h != null) {
                        drainHandler = null;
                        h.handle(null);
                      }
                    });
              }
            });
        handler.handle(Future.succeededFuture());
      }

      @Override
      public void end(Handler<AsyncResult<Void>> handler) {
        lane.execute(() -> done.complete(null));
        if (handler != null) {
          handler.handle(Future.succeededFuture());
        }
      }

      @Override
      public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
        return this;
      }

      @Override
      public boolean writeQueueFull() {
        return queued.get() >= QUEUE_HIGH;
      }

      @Override
      public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
        this.drainHandler = handler;
        return this;
      }
    }

    /** The request body ended: validate the form, store, answer. */
    private void onEnd() {
      if (finished) {
        return;
      }
      String csrf = ctx.request().formAttributes().get("csrf_token");
      String message = ctx.request().formAttributes().get("message");
      CompletableFuture<Void> file = fileDone;
      CompletableFuture<Void> ready = file == null ? CompletableFuture.completedFuture(null) : file;
      // The file's last bytes are queued on the lane before its completion: finish after them,
      // without blocking the lane.
      ready.whenComplete((v, e) -> lane.execute(() -> finish(csrf, message, file != null, e)));
    }

    private void finish(String csrf, String message, boolean hasFile, Throwable fileError) {
      int status;
      String page;
      int retryAfter = 0;
      try {
        if (fileError != null) {
          throw new IOException("the file could not be received", fileError);
        }
        String problem = validate(csrf, message, hasFile);
        if (errorStatus != 0) {
          return;
        }
        if (problem != null) {
          abortDocument();
          status = 400;
          page = renderError(problem);
        } else if (!admission.session().submissions().tryAcquire()
            || !sessions.trySubmission(admission.client())) {
          abortDocument();
          status = 429;
          page = renderError(msg.error_rate_limited());
        } else {
          String sourceId = admission.session().credentials().sourceId();
          if (message != null && !message.isBlank()) {
            submissions.storeMessage(sourceId, message);
          }
          if (document != null) {
            document.commit();
          }
          status = 303;
          page = null;
        }
      } catch (ServerBusyException e) {
        abortDocument();
        status = 503;
        page = renderError(msg.error_busy());
        retryAfter = e.retryAfterSeconds();
      } catch (IOException | RuntimeException e) {
        abortDocument();
        LOG.warning("a submission failed: " + e.getClass().getSimpleName());
        status = failureStatus(e);
        page = renderError(failureMessage(e));
      }
      finished = true;
      lane.shutdown();
      int s = status;
      String p = page;
      int retry = retryAfter;
      context.runOnContext(
          v -> {
            if (s == 303) {
              ctx.response().setStatusCode(303).putHeader("Location", "/received").end();
            } else {
              if (retry > 0 && !ctx.response().headWritten()) {
                ctx.response().putHeader("Retry-After", Integer.toString(retry));
              }
              respond(ctx, s, p, false);
            }
          });
    }

    private String validate(String csrf, String message, boolean hasFile) {
      if (!admission.session().csrfMatches(csrf)) {
        return msg.error_csrf();
      }
      boolean hasMessage = message != null && !message.isBlank();
      if (!hasMessage && !hasFile) {
        return msg.error_empty();
      }
      if (hasMessage
          && message.codePointCount(0, message.length()) > config.limits().maxMessageChars()) {
        return msg.error_message_too_long(config.limits().maxMessageChars());
      }
      int min = admission.settings().initialMessageMinLength();
      if (admission.firstSubmission()
          && min > 0
          && !hasFile
          && (!hasMessage || message.strip().length() < min)) {
        return msg.error_message_too_short(min);
      }
      if (hasMessage
          && admission.settings().rejectMessageWithCodename()
          && admission.session().codenameCheck().foundIn(message)) {
        return msg.error_message_has_codename();
      }
      return null;
    }

    /** Stops everything and answers with an error page. Runs on the request's context. */
    /** 507 Insufficient Storage when the store's disk is full (nothing was kept), else 500. */
    private int failureStatus(Throwable e) {
      return StoreFullException.in(e) ? 507 : 500;
    }

    private String failureMessage(Throwable e) {
      return StoreFullException.in(e) ? msg.error_store_full() : msg.error_upload_failed();
    }

    private void fail(int status, String message) {
      if (errorStatus != 0 || finished) {
        return;
      }
      errorStatus = status;
      lane.execute(
          () -> {
            abortDocument();
            CompletableFuture<Void> f = fileDone;
            if (f != null) {
              f.complete(null);
            }
            String page = renderError(message);
            finished = true;
            lane.shutdown();
            context.runOnContext(v -> respond(ctx, status, page, true));
          });
    }

    /** The client went away mid-upload: discard everything. */
    private void abandon() {
      if (finished) {
        return;
      }
      errorStatus = 499;
      lane.execute(
          () -> {
            abortDocument();
            CompletableFuture<Void> f = fileDone;
            if (f != null) {
              f.complete(null);
            }
            finished = true;
            lane.shutdown();
          });
    }

    private void abortDocument() {
      SubmissionService.DocumentUpload d = document;
      if (d != null) {
        d.abort();
      }
    }
  }
}
