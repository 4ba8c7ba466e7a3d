package dev.mrkpolicyguard.aws;

import dev.mrkpolicyguard.core.AwsCallFailed;
import dev.mrkpolicyguard.reconcile.OrganizationPack;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.config.ConfigClient;
import software.amazon.awssdk.services.config.model.DescribeOrganizationConformancePacksResponse;
import software.amazon.awssdk.services.config.model.GetOrganizationConformancePackDetailedStatusResponse;
import software.amazon.awssdk.services.config.model.OrganizationConformancePack;
import software.amazon.awssdk.services.config.model.OrganizationConformancePackDetailedStatus;

/**
 * {@link OrganizationPack} over Config's organization calls in the function's Region, 100 a page:
 * "Only a management account and a delegated administrator can call this API" (Config API,
 * organization conformance packs).
 */
public final class ConfigOrganizationPack implements OrganizationPack {
  private static final int MAX_PAGES = 1_000;

  private final ConfigClient config;

  public ConfigOrganizationPack(ConfigClient config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  @Override
  public List<Member> members(String name) {
    List<Member> out = new ArrayList<>();
    Set<String> tokens = new HashSet<>();
    String token = null;
    try {
      for (int page = 0; page < MAX_PAGES; page++) {
        String next = token;
        GetOrganizationConformancePackDetailedStatusResponse answer =
            config.getOrganizationConformancePackDetailedStatus(
                r -> r.organizationConformancePackName(name).limit(100).nextToken(next));
        for (OrganizationConformancePackDetailedStatus s :
            answer.organizationConformancePackDetailedStatuses()) {
          out.add(
              new Member(
                  s.accountId(),
                  s.statusAsString(),
                  Objects.requireNonNullElse(s.errorCode(), ""),
                  Objects.requireNonNullElse(s.errorMessage(), "")));
        }
        token = answer.nextToken();
        if (token == null || token.isEmpty()) {
          return out;
        }
        if (!tokens.add(token)) {
          throw new AwsCallFailed(
              "GetOrganizationConformancePackDetailedStatus returned the same NextToken twice",
              "repeated NextToken",
              null);
        }
      }
    } catch (SdkException e) {
      throw failed("GetOrganizationConformancePackDetailedStatus", e);
    }
    throw new AwsCallFailed(
        "GetOrganizationConformancePackDetailedStatus did not end within " + MAX_PAGES + " pages",
        "too many pages",
        null);
  }

  @Override
  public Definition definition(String name) {
    try {
      DescribeOrganizationConformancePacksResponse answer =
          config.describeOrganizationConformancePacks(
              r -> r.organizationConformancePackNames(name));
      for (OrganizationConformancePack pack : answer.organizationConformancePacks()) {
        if (name.equals(pack.organizationConformancePackName())) {
          Map<String, String> parameters = new LinkedHashMap<>();
          pack.conformancePackInputParameters()
              .forEach(p -> parameters.put(p.parameterName(), p.parameterValue()));
          return new Definition(
              name,
              pack.excludedAccounts(),
              parameters,
              Optional.ofNullable(pack.deliveryS3Bucket()).filter(b -> !b.isEmpty()));
        }
      }
      throw new AwsCallFailed(
          "DescribeOrganizationConformancePacks did not list " + name, "pack not listed", null);
    } catch (SdkException e) {
      throw failed("DescribeOrganizationConformancePacks", e);
    }
  }

  private static AwsCallFailed failed(String operation, SdkException e) {
    return new AwsCallFailed(
        operation + " " + AwsErrors.code(e) + ": " + AwsErrors.message(e), e.getMessage(), e);
  }
}
