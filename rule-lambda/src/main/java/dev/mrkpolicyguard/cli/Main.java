package dev.mrkpolicyguard.cli;

/** Command-line entry point of the rule jar. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(0);
  }
}
