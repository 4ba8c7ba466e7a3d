package dev.mrkpolicyguard.engine.eval;

import dev.mrkpolicyguard.engine.policy.KeyPolicy;
import dev.mrkpolicyguard.engine.policy.Statement;
import java.util.ArrayList;
import java.util.List;

/** A key policy compiled for evaluation against requests to one key. */
public final class CompiledPolicy {
  private final KeyPolicy source;
  private final KeyContext key;
  private final List<CompiledStatement> statements;

  /** Compiles {@code policy} for requests to {@code key}. */
  public CompiledPolicy(KeyPolicy policy, KeyContext key) {
    this.source = policy;
    this.key = key;
    List<CompiledStatement> compiled = new ArrayList<>();
    for (Statement statement : policy.statements()) {
      compiled.add(new CompiledStatement(statement, key, policy.interpretsVariables()));
    }
    this.statements = List.copyOf(compiled);
  }

  /** The policy as parsed. */
  public KeyPolicy source() {
    return source;
  }

  /** The key the policy is evaluated for. */
  public KeyContext key() {
    return key;
  }

  /** The compiled statements, in document order. */
  public List<CompiledStatement> statements() {
    return statements;
  }
}
