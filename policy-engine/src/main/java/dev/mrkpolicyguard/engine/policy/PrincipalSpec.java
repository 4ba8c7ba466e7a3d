package dev.mrkpolicyguard.engine.policy;

import java.util.List;
import java.util.Objects;

/**
 * A {@code Principal} or {@code NotPrincipal} element.
 *
 * @param negated true for {@code NotPrincipal}
 * @param atoms the principals named
 */
public record PrincipalSpec(boolean negated, List<PrincipalAtom> atoms) {
  public PrincipalSpec {
    atoms = List.copyOf(Objects.requireNonNull(atoms, "atoms"));
  }
}
