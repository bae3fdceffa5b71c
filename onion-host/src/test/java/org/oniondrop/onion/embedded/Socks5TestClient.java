package org.oniondrop.onion.embedded;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A minimal SOCKS5 client that exposes the reply code (the JDK's hides it). */
public final class Socks5TestClient {

  private Socks5TestClient() {}

  /** The connected socket and the server's reply code. */
  public record Result(Socket socket, int reply) {}

  public static Result connect(int socksPort, String host, int port) throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), socksPort);
    s.setSoTimeout(120_000);
    OutputStream out = s.getOutputStream();
    DataInputStream in = new DataInputStream(s.getInputStream());
    out.write(new byte[] {5, 1, 0});
    out.flush();
    if (in.readUnsignedByte() != 5 || in.readUnsignedByte() != 0) {
      throw new IOException("SOCKS5 server refused no-auth");
    }
    byte[] name = host.getBytes(StandardCharsets.US_ASCII);
    out.write(new byte[] {5, 1, 0, 3, (byte) name.length});
    out.write(name);
    out.write(new byte[] {(byte) (port >> 8), (byte) port});
    out.flush();
    in.readUnsignedByte();
    int reply = in.readUnsignedByte();
    in.readUnsignedByte();
    int atyp = in.readUnsignedByte();
    int skip = atyp == 1 ? 4 : atyp == 4 ? 16 : in.readUnsignedByte();
    in.readFully(new byte[skip + 2]);
    return new Result(s, reply);
  }
}
