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
    return connect(socksPort, host, port, null, null);
  }

  /** With a username and password (RFC 1929) when {@code user} is not null. */
  public static Result connect(int socksPort, String host, int port, String user, String password)
      throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), socksPort);
    s.setSoTimeout(120_000);
    s.setTcpNoDelay(true);
    OutputStream out = s.getOutputStream();
    DataInputStream in = new DataInputStream(s.getInputStream());
    if (user == null) {
      out.write(new byte[] {5, 1, 0});
      out.flush();
      if (in.readUnsignedByte() != 5 || in.readUnsignedByte() != 0) {
        throw new IOException("SOCKS5 server refused no-auth");
      }
    } else {
      out.write(new byte[] {5, 2, 0, 2}); // offers both, as curl does with --proxy-user
      out.flush();
      if (in.readUnsignedByte() != 5 || in.readUnsignedByte() != 2) {
        throw new IOException("SOCKS5 server did not pick username/password");
      }
      byte[] u = user.getBytes(StandardCharsets.UTF_8);
      byte[] p = password.getBytes(StandardCharsets.UTF_8);
      out.write(1);
      out.write(u.length);
      out.write(u);
      out.write(p.length);
      out.write(p);
      out.flush();
      if (in.readUnsignedByte() != 1 || in.readUnsignedByte() != 0) {
        throw new IOException("SOCKS5 username/password refused");
      }
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
