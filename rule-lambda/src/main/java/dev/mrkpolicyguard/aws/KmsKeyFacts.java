package dev.mrkpolicyguard.aws;

import dev.mrkpolicyguard.core.KeyFactsReader;
import dev.mrkpolicyguard.core.KeyReader;
import dev.mrkpolicyguard.core.ReadFailure;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import dev.mrkpolicyguard.explain.KeyFactsSource;
import java.util.Objects;

/**
 * Key facts for {@code explain} read live from KMS by {@link KeyFactsReader} (DescribeKey,
 * GetKeyPolicy of the key and of its primary; read only), with the errors that stop a read turned
 * into answers that say what to do.
 */
public final class KmsKeyFacts implements KeyFactsSource {
  private final KeyFactsReader reader;

  public KmsKeyFacts(KeyFactsReader reader) {
    this.reader = Objects.requireNonNull(reader, "reader");
  }

  @Override
  public Lookup lookup(String keyArn) {
    String region = new KeyContext(keyArn).region();
    KeyReader.Read read = reader.read(keyArn);
    if (read instanceof KeyReader.Read.Facts facts) {
      return new Lookup.Found(facts.facts());
    }
    ReadFailure failure =
        read instanceof KeyReader.Read.Unreadable unreadable
            ? unreadable.failure()
            : ((KeyReader.Read.NotEvaluated) read).failure();
    if ("NotFoundException".equals(failure.code())) {
      return new Lookup.NotFound(
          "KMS in "
              + region
              + " has no such key for these credentials (NotFoundException); run explain with"
              + " credentials of the key's account");
    }
    if ("AccessDeniedException".equals(failure.code())) {
      return new Lookup.Failed(
          "kms:"
              + failure.operation()
              + " was denied (AccessDeniedException); allow kms:DescribeKey and"
              + " kms:GetKeyPolicy on the key and its primary (docs/explain.md)");
    }
    return new Lookup.Failed(
        failure.operation()
            + " in "
            + region
            + " failed: "
            + failure.code()
            + ": "
            + failure.message());
  }
}
