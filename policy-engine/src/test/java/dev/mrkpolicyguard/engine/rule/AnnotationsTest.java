package dev.mrkpolicyguard.engine.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mrkpolicyguard.engine.compare.Difference;
import dev.mrkpolicyguard.engine.compare.DifferenceKind;
import dev.mrkpolicyguard.engine.compare.Direction;
import dev.mrkpolicyguard.engine.compare.Witness;
import dev.mrkpolicyguard.engine.eval.Caller;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The few words an annotation gives a witness's caller. */
class AnnotationsTest {
  private static Difference gain(Caller caller) {
    return new Difference(
        Direction.REPLICA_ONLY,
        DifferenceKind.PRINCIPAL,
        new Witness(caller, true, "kms:Decrypt", Map.of()),
        "replica allows it");
  }

  @Test
  void request_madeUpIdentity_showsOnlyItsAccount() {
    Caller made =
        new Caller.Iam("arn:aws:iam::111122223333:role/ExampleRole", null, /* example= */ true);
    assertEquals("111122223333 may kms:Decrypt", Annotations.request(gain(made), true));
  }

  @Test
  void request_realRoleNamedExampleRole_keepsItsName() {
    Caller real = new Caller.Iam("arn:aws:iam::111122223333:role/ExampleRole", null);
    assertEquals(
        "111122223333:role/ExampleRole may kms:Decrypt", Annotations.request(gain(real), true));
  }
}
