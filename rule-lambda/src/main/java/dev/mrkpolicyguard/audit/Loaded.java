package dev.mrkpolicyguard.audit;

/** A value read from a file or from AWS, or the message saying why it could not be. */
record Loaded<T>(T value, String error) {
  static <T> Loaded<T> of(T value) {
    return new Loaded<>(value, null);
  }

  static <T> Loaded<T> failed(String error) {
    return new Loaded<>(null, error);
  }
}
