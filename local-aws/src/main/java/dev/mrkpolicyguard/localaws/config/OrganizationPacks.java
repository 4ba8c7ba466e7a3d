package dev.mrkpolicyguard.localaws.config;

import dev.mrkpolicyguard.localaws.Scope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Organization conformance packs of the management account (or a delegated administrator) per
 * Region, seeded by tests (no PutOrganizationConformancePack): their definition and each member
 * account's deployment status.
 */
public final class OrganizationPacks {
  /** OrganizationResourceDetailedStatus (botocore config 2014-11-12). */
  public static final Set<String> STATUSES =
      Set.of(
          "CREATE_SUCCESSFUL",
          "CREATE_IN_PROGRESS",
          "CREATE_FAILED",
          "DELETE_SUCCESSFUL",
          "DELETE_FAILED",
          "DELETE_IN_PROGRESS",
          "UPDATE_SUCCESSFUL",
          "UPDATE_IN_PROGRESS",
          "UPDATE_FAILED");

  /** One pack as DescribeOrganizationConformancePacks shows it. */
  public record Pack(
      String name,
      List<String> excludedAccounts,
      Map<String, String> inputParameters,
      Optional<String> deliveryBucket) {
    public Pack {
      excludedAccounts = List.copyOf(excludedAccounts);
      inputParameters = Map.copyOf(new LinkedHashMap<>(inputParameters));
    }
  }

  /** One member account's status. */
  public record MemberStatus(
      String account, String status, Optional<String> errorCode, Optional<String> errorMessage) {}

  private final Map<Scope, Map<String, Pack>> packs = new LinkedHashMap<>();
  private final Map<Scope, Map<String, Map<String, MemberStatus>>> statuses = new LinkedHashMap<>();

  /** Seeds (or replaces) a pack in the caller's account and Region. */
  public synchronized void put(String account, String region, Pack pack) {
    packs
        .computeIfAbsent(new Scope(account, region), s -> new LinkedHashMap<>())
        .put(pack.name(), pack);
  }

  /** Sets a member account's status of a seeded pack. */
  public synchronized void status(
      String account,
      String region,
      String pack,
      String member,
      String status,
      String errorCodeOrNull,
      String errorMessageOrNull) {
    if (!STATUSES.contains(status)) {
      throw new IllegalArgumentException("unknown status " + status);
    }
    if (find(new Scope(account, region), pack).isEmpty()) {
      throw new IllegalArgumentException("no pack " + pack + " in " + account + "/" + region);
    }
    statuses
        .computeIfAbsent(new Scope(account, region), s -> new LinkedHashMap<>())
        .computeIfAbsent(pack, p -> new LinkedHashMap<>())
        .put(
            member,
            new MemberStatus(
                member,
                status,
                Optional.ofNullable(errorCodeOrNull),
                Optional.ofNullable(errorMessageOrNull)));
  }

  synchronized Optional<Pack> find(Scope scope, String name) {
    return Optional.ofNullable(packs.getOrDefault(scope, Map.of()).get(name));
  }

  synchronized List<Pack> all(Scope scope) {
    return List.copyOf(packs.getOrDefault(scope, Map.of()).values());
  }

  synchronized List<MemberStatus> members(Scope scope, String pack) {
    return new ArrayList<>(
        statuses.getOrDefault(scope, Map.of()).getOrDefault(pack, Map.of()).values());
  }

  public synchronized void reset() {
    packs.clear();
    statuses.clear();
  }

  static String requireName(String name) {
    return Objects.requireNonNull(name, "name");
  }
}
