package org.oniondrop.onion.cell;

/** Relay command numbers (tor-spec §6.1, rend-spec-v3). */
public final class RelayCommand {
  public static final int BEGIN = 1;
  public static final int DATA = 2;
  public static final int END = 3;
  public static final int CONNECTED = 4;
  public static final int SENDME = 5;
  public static final int DROP = 10;
  public static final int BEGIN_DIR = 13;
  public static final int EXTEND2 = 14;
  public static final int EXTENDED2 = 15;
  public static final int ESTABLISH_INTRO = 32;
  public static final int ESTABLISH_RENDEZVOUS = 33;
  public static final int INTRODUCE1 = 34;
  public static final int INTRODUCE2 = 35;
  public static final int RENDEZVOUS1 = 36;
  public static final int RENDEZVOUS2 = 37;
  public static final int INTRO_ESTABLISHED = 38;
  public static final int RENDEZVOUS_ESTABLISHED = 39;
  public static final int INTRODUCE_ACK = 40;

  private RelayCommand() {}
}
