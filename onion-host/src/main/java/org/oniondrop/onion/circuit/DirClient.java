package org.oniondrop.onion.circuit;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.oniondrop.onion.bytes.ByteWriter;
import org.oniondrop.onion.cell.RelayCell;
import org.oniondrop.onion.cell.RelayCommand;
import org.oniondrop.onion.net.RelayInfo;

/**
 * HTTP/1.0 to a directory over BEGIN_DIR on a fresh circuit (dir-spec; rend-spec-v3 §2.2.6): {@code
 * POST /tor/hs/3/publish} for uploads, {@code GET /tor/hs/3/<blinded key>} for fetches.
 */
public final class DirClient {

  /** Responses larger than this are refused (a descriptor is at most 50 KB). */
  public static final int MAX_RESPONSE_BYTES = 64 * 1024;

  /** One directory request may take this long, circuit included. */
  public static final long TIMEOUT_SECONDS = 30;

  private static final int STREAM_ID = 1;

  private DirClient() {}

  /** An HTTP status and body. */
  public record Response(int status, byte[] body) {}

  public static CompletableFuture<Response> get(
      OriginNode node, List<RelayInfo> path, String target) {
    return request(
        node, path, ("GET " + target + " HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
  }

  public static CompletableFuture<Response> post(
      OriginNode node, List<RelayInfo> path, String target, byte[] body) {
    byte[] head =
        ("POST " + target + " HTTP/1.0\r\nContent-Length: " + body.length + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    ByteWriter w = new ByteWriter(head.length + body.length);
    w.bytes(head).bytes(body);
    return request(node, path, w.toByteArray());
  }

  private static CompletableFuture<Response> request(
      OriginNode node, List<RelayInfo> path, byte[] request) {
    CompletableFuture<Response> result = new CompletableFuture<>();
    ByteWriter received = new ByteWriter(4096);
    CircuitListener listener =
        new CircuitListener() {
          @Override
          public void onRelayCell(OriginCircuit c, int hop, RelayCell cell, byte[] digest) {
            if (cell.streamId() != STREAM_ID) {
              return;
            }
            switch (cell.command()) {
              case RelayCommand.DATA -> {
                if (received.size() + cell.data().length > MAX_RESPONSE_BYTES) {
                  result.completeExceptionally(
                      new CircuitException("directory response too large"));
                  c.destroy();
                } else {
                  received.bytes(cell.data());
                }
              }
              case RelayCommand.END -> {
                result.complete(parse(received.toByteArray()));
                c.destroy();
              }
              default -> {
                // CONNECTED and SENDMEs need no action for a short exchange.
              }
            }
          }

          @Override
          public void onDestroyed(OriginCircuit c) {
            result.completeExceptionally(new CircuitException("directory circuit closed"));
          }
        };
    node.build(path, listener)
        .whenComplete(
            (circuit, error) -> {
              if (error != null) {
                result.completeExceptionally(error);
                return;
              }
              circuit.execute(
                  () -> {
                    circuit.sendToLast(
                        new RelayCell(RelayCommand.BEGIN_DIR, STREAM_ID, new byte[0]));
                    for (int off = 0; off < request.length; off += RelayCell.MAX_DATA) {
                      int n = Math.min(RelayCell.MAX_DATA, request.length - off);
                      circuit.sendToLast(
                          new RelayCell(
                              RelayCommand.DATA,
                              STREAM_ID,
                              Arrays.copyOfRange(request, off, off + n)));
                    }
                  });
              result.whenComplete((r, e) -> circuit.execute(circuit::destroy));
            });
    return result.orTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  static Response parse(byte[] raw) {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int headEnd = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/1.") || headEnd < 0) {
      return new Response(0, new byte[0]);
    }
    String[] statusLine = text.substring(0, text.indexOf("\r\n")).split(" ");
    // RFC 9112 §4: the status code is three digits; anything else ("-4", "+200", "0200") is no
    // status at all (found by Jazzer: Integer.parseInt accepted a sign)
    int status =
        statusLine.length > 1 && statusLine[1].matches("[1-5][0-9][0-9]")
            ? Integer.parseInt(statusLine[1])
            : 0;
    return new Response(status, Arrays.copyOfRange(raw, headEnd + 4, raw.length));
  }
}
