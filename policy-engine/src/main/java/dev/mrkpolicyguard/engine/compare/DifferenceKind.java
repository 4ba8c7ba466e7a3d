package dev.mrkpolicyguard.engine.compare;

/** How deep a difference goes, most important first. */
public enum DifferenceKind {
  /** The other policy grants this principal (account, service, anonymous) nothing at all. */
  PRINCIPAL,
  /** The other policy never grants this caller this action. */
  ACTION,
  /** The other policy grants this caller this action, but under other conditions. */
  CONDITION
}
