package dev.mrkpolicyguard.iac;

import java.util.Objects;

/** How a replica names its primary. */
public sealed interface PrimaryLink {
  /** A primary defined in the inputs, by its {@link IacResource#id()}. */
  record InInputs(String resourceId) implements PrimaryLink {
    public InInputs {
      Objects.requireNonNull(resourceId, "resourceId");
    }
  }

  /** An existing primary, by its key ARN. */
  record ByArn(String arn) implements PrimaryLink {
    public ByArn {
      Objects.requireNonNull(arn, "arn");
    }
  }

  /** The primary cannot be told before deployment. */
  record NotKnown(IacCode code, String reason) implements PrimaryLink {
    public NotKnown {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
