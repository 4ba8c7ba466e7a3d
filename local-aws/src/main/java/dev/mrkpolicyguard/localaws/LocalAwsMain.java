package dev.mrkpolicyguard.localaws;

/** Standalone entry point of the local AWS stand-in. */
public final class LocalAwsMain {
  private LocalAwsMain() {}

  public static void main(String[] args) {}
}
