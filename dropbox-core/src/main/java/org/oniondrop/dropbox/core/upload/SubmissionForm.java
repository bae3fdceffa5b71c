package org.oniondrop.dropbox.core.upload;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.oniondrop.dropbox.core.upload.UploadRejectedException.Reason;

/**
 * What the parts of a submission form mean, applied as they stream (on the event loop):
 *
 * <ul>
 *   <li>{@code csrf_token} must be the first part (the page's form puts it first, and browsers send
 *       fields in document order): nothing is encrypted before the {@link Gate} has checked it and
 *       charged the submission permits;
 *   <li>{@code message}: kept in memory (bounded by the message limit), wiped after encryption;
 *   <li>{@code file} with a file name: each one its own encrypted item, copied into large batches
 *       for the upload's lane; limits per file and per submission (message bytes count too) and on
 *       the number of files;
 *   <li>anything else, and a file input with no file chosen: dropped, bounded, but counted by the
 *       parser's form bound.
 * </ul>
 *
 * Not thread-safe: fed by one {@link MultipartParser}.
 */
public final class SubmissionForm implements MultipartParser.Handler {

  /** Checks the CSRF token and admits the submission (rate limits are charged here). */
  @FunctionalInterface
  public interface Gate {
    void admit(String csrfToken) throws UploadRejectedException;
  }

  /** A stored file as the source's received page shows it. */
  public record Received(String name, long bytes) {
    @Override
    public String toString() {
      return "Received[redacted]";
    }
  }

  private enum Field {
    CSRF,
    MESSAGE,
    FILE,
    IGNORED
  }

  /** Longest file name kept for the received page, in characters. */
  public static final int MAX_SHOWN_NAME = 255;

  private final SubmissionPolicy.Limits limits;
  private final Gate gate;
  private final UploadPipeline.Upload upload;
  private final List<Received> files = new ArrayList<>();
  private Field field;
  private boolean admitted;
  private boolean sawMessage;
  private byte[] text = new byte[256];
  private int textLength;
  private String csrf;
  private String fileName;
  private long fileBytes;
  private long submissionBytes;
  private long ignoredBytes;
  private byte[] batch;
  private int batchLength;
  private String message;

  public SubmissionForm(SubmissionPolicy.Limits limits, Gate gate, UploadPipeline.Upload upload) {
    this.limits = limits;
    this.gate = gate;
    this.upload = upload;
  }

  @Override
  public void partStart(MultipartParser.Part part) throws UploadRejectedException {
    if (!admitted) {
      if (!part.name().equals("csrf_token") || part.isFile()) {
        throw new UploadRejectedException(Reason.CSRF);
      }
      field = Field.CSRF;
      textLength = 0;
      return;
    }
    if (part.name().equals("message") && !part.isFile()) {
      if (sawMessage) {
        throw new UploadRejectedException(Reason.MALFORMED);
      }
      sawMessage = true;
      field = Field.MESSAGE;
      textLength = 0;
    } else if (part.name().equals("file") && part.isFile() && !part.filename().isEmpty()) {
      if (!limits.allowDocuments()) {
        throw new UploadRejectedException(Reason.NO_DOCUMENTS);
      }
      if (files.size() >= limits.maxFiles()) {
        throw new UploadRejectedException(Reason.TOO_MANY_FILES);
      }
      field = Field.FILE;
      fileName = shown(part.filename());
      fileBytes = 0;
      upload.startFile(part.filename());
    } else {
      field = Field.IGNORED;
      ignoredBytes = 0;
    }
  }

  @Override
  public void partData(byte[] b, int off, int len) throws UploadRejectedException {
    if (upload.failed()) {
      // The lane failed first; the reason must be the lane's (a full store is 507, not 500).
      throw new UploadRejectedException(
          upload.storeFull() ? Reason.STORE_FULL : Reason.STORE_FAILED);
    }
    switch (field) {
      case CSRF -> appendText(b, off, len, SubmissionPolicy.MAX_CSRF_BYTES, Reason.CSRF);
      case MESSAGE -> {
        countSubmission(len);
        appendText(b, off, len, limits.maxMessageBytes(), Reason.MESSAGE_TOO_LONG);
      }
      case FILE -> {
        fileBytes += len;
        if (fileBytes > limits.maxFileBytes()) {
          throw new UploadRejectedException(Reason.FILE_TOO_LARGE);
        }
        countSubmission(len);
        copyToBatches(b, off, len);
      }
      case IGNORED -> {
        ignoredBytes += len;
        if (ignoredBytes > SubmissionPolicy.MAX_OTHER_FIELD_BYTES) {
          throw new UploadRejectedException(Reason.MALFORMED);
        }
      }
    }
  }

  @Override
  public void partEnd() throws UploadRejectedException {
    switch (field) {
      case CSRF -> {
        csrf = new String(text, 0, textLength, StandardCharsets.US_ASCII);
        gate.admit(csrf);
        admitted = true;
      }
      case MESSAGE -> {
        message = new String(text, 0, textLength, StandardCharsets.UTF_8);
        Arrays.fill(text, 0, textLength, (byte) 0);
        textLength = 0;
      }
      case FILE -> {
        if (batchLength > 0) {
          upload.write(batch, batchLength);
          batch = null;
          batchLength = 0;
        }
        upload.endFile();
        files.add(new Received(fileName, fileBytes));
      }
      case IGNORED -> {
        // dropped
      }
    }
    field = null;
  }

  private void countSubmission(int len) throws UploadRejectedException {
    submissionBytes += len;
    if (submissionBytes > limits.maxSubmissionBytes()) {
      throw new UploadRejectedException(Reason.SUBMISSION_TOO_LARGE);
    }
  }

  private void appendText(byte[] b, int off, int len, long max, Reason tooLong)
      throws UploadRejectedException {
    if (textLength + (long) len > max) {
      throw new UploadRejectedException(tooLong);
    }
    if (textLength + len > text.length) {
      byte[] bigger =
          Arrays.copyOf(text, (int) Math.min(max, Math.max(2L * text.length, textLength + len)));
      Arrays.fill(text, (byte) 0);
      text = bigger;
    }
    System.arraycopy(b, off, text, textLength, len);
    textLength += len;
  }

  /** One copy, from the socket's bytes into a large batch; full batches go to the lane. */
  private void copyToBatches(byte[] b, int off, int len) {
    while (len > 0) {
      if (batch == null) {
        batch = upload.takeBatch();
        batchLength = 0;
      }
      int n = Math.min(len, batch.length - batchLength);
      System.arraycopy(b, off, batch, batchLength, n);
      batchLength += n;
      off += n;
      len -= n;
      if (batchLength == batch.length) {
        upload.write(batch, batchLength);
        batch = null;
        batchLength = 0;
      }
    }
  }

  private static String shown(String name) {
    int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
    String base = name.substring(slash + 1);
    return base.length() <= MAX_SHOWN_NAME ? base : base.substring(0, MAX_SHOWN_NAME);
  }

  /** Whether the CSRF part was seen and admitted. */
  public boolean admitted() {
    return admitted;
  }

  /** The message, or {@code null} if the form had none. */
  public String message() {
    return message;
  }

  /** The files received, in form order. */
  public List<Received> files() {
    return List.copyOf(files);
  }
}
