package dev.mrkpolicyguard.engine.compare;

/** A difference found by the search, before it is ranked and explained. */
final class Found {
  Direction direction;
  DifferenceKind kind;

  /** The caller group of the witness ("account 111122223333", "service ..."). */
  String group;

  /** The indexes of the statements of the allowing policy that allow the witness. */
  String sids;

  /** The order of discovery. */
  int order;

  /** Whether the witness was found under assumptions about policy variables. */
  boolean atomsUsed;

  Witness witness;

  /**
   * What makes two differences one: the same direction, caller group, kind and allowing statements.
   */
  record Key(Direction direction, String group, DifferenceKind kind, String sids) {}

  /** This difference's class among those of all searches. */
  Key key() {
    return new Key(direction, group, kind, sids);
  }

  /**
   * This difference's class in the result: differences of who may call at all ({@link
   * DifferenceKind#PRINCIPAL}) are one per direction and caller group, whichever statements allow.
   */
  Key resultKey() {
    return kind == DifferenceKind.PRINCIPAL
        ? new Key(direction, group, DifferenceKind.PRINCIPAL, null)
        : key();
  }
}
