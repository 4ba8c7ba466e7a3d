package dev.mrkpolicyguard.iac;

import java.util.List;
import java.util.Objects;

/** The multi-Region key resources of one input file, or why the file cannot be read. */
public sealed interface InputRead {
  /** The resources, in the order the file defines them. */
  record Read(List<IacResource> resources) implements InputRead {
    public Read {
      resources = List.copyOf(resources);
    }
  }

  /** The file is not a template or plan this tool reads; {@code problem} says why. */
  record Invalid(String problem) implements InputRead {
    public Invalid {
      Objects.requireNonNull(problem, "problem");
    }
  }
}
