package dev.mrkpolicyguard.audit;

/** A value read from a file or from AWS, or the message saying why it could not be. */
record ReadOrError<T>(T value, String error) {
  static <T> ReadOrError<T> of(T value) {
    return new ReadOrError<>(value, null);
  }

  static <T> ReadOrError<T> failed(String error) {
    return new ReadOrError<>(null, error);
  }
}
