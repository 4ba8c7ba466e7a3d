package dev.mrkpolicyguard.engine.rule;

/** Decides one key's compliance from its facts and the baseline; pure, no AWS calls. */
public final class KeyDecider {
  /** Decides {@code facts} against {@code baseline}. */
  public KeyEvaluation decide(KeyFacts facts, Baseline baseline) {
    throw new UnsupportedOperationException("being written");
  }
}
