package dev.mrkpolicyguard.localaws.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.localaws.Scope;
import dev.mrkpolicyguard.localaws.kms.KeySnapshot;
import dev.mrkpolicyguard.localaws.kms.KmsStore;
import dev.mrkpolicyguard.localaws.protocol.ApiException;
import dev.mrkpolicyguard.localaws.protocol.Json;
import dev.mrkpolicyguard.localaws.protocol.JsonInput;
import dev.mrkpolicyguard.localaws.protocol.JsonService;
import dev.mrkpolicyguard.localaws.protocol.RequestContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * AWS Config ({@code StarlingDoveService}) over JSON 1.1: custom-rule evaluations, the registered
 * rules, on-demand evaluation starts and the configuration history of KMS keys, generated from the
 * KMS state.
 */
public final class ConfigService implements JsonService {
  private static final Duration START_INTERVAL = Duration.ofMinutes(1);
  private static final int RULES_PAGE = 25;
  private static final Set<String> COMPLIANCE_TYPES =
      Set.of("COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE", "INSUFFICIENT_DATA");

  private final ConfigStore store;
  private final KmsStore kms;

  public ConfigService(ConfigStore store, KmsStore kms) {
    this.store = store;
    this.kms = kms;
  }

  @Override
  public String name() {
    return "config";
  }

  @Override
  public String targetPrefix() {
    return "StarlingDoveService";
  }

  @Override
  public JsonNode handle(String operation, JsonInput in, RequestContext ctx) {
    return switch (operation) {
      case "PutEvaluations" -> putEvaluations(in, ctx);
      case "GetComplianceDetailsByConfigRule" -> complianceDetails(in, ctx);
      case "GetResourceConfigHistory" -> resourceConfigHistory(in, ctx);
      case "StartConfigRulesEvaluation" -> startEvaluation(in, ctx);
      case "DescribeConfigRules" -> describeRules(in, ctx);
      case "GetOrganizationConformancePackDetailedStatus" -> packDetailedStatus(in, ctx);
      case "DescribeOrganizationConformancePacks" -> describeOrganizationPacks(in, ctx);
      default ->
          throw ApiException.client(
              "UnknownOperationException", "local-aws does not implement Config " + operation);
    };
  }

  private JsonNode putEvaluations(JsonInput in, RequestContext ctx) {
    String token = in.required("ResultToken");
    List<JsonInput> evaluations = in.objects("Evaluations");
    JsonInput.checkSize("Evaluations", evaluations.size(), 0, 100);
    List<EvaluationInput> parsed = evaluations.stream().map(ConfigService::evaluation).toList();
    if (in.bool("TestMode")) {
      return emptyFailures();
    }
    String rule =
        store
            .ruleForToken(scope(ctx), token)
            .orElseThrow(
                () ->
                    ApiException.client(
                        "InvalidResultTokenException",
                        "The result token is not valid for any rule in "
                            + ctx.account()
                            + "/"
                            + ctx.region()
                            + "."));
    for (EvaluationInput e : parsed) {
      store.store(
          scope(ctx),
          new StoredEvaluation(
              rule,
              e.resourceType(),
              e.resourceId(),
              e.complianceType(),
              e.annotation(),
              e.orderingTimestamp(),
              ctx.now(),
              token));
    }
    return emptyFailures();
  }

  private static EvaluationInput evaluation(JsonInput e) {
    String type = e.required("ComplianceResourceType", 1, 256);
    String id = e.required("ComplianceResourceId", 1, 768);
    e.requirePresent("ComplianceType");
    String compliance = e.enumValue("ComplianceType", COMPLIANCE_TYPES).orElseThrow();
    if (compliance.equals("INSUFFICIENT_DATA")) {
      throw ApiException.client(
          "InvalidParameterValueException",
          "The ComplianceType INSUFFICIENT_DATA of resource "
              + id
              + " cannot be reported with PutEvaluations; use NOT_APPLICABLE.");
    }
    String annotation = e.string("Annotation", 1, 256).orElse(null);
    e.requirePresent("OrderingTimestamp");
    Instant ordering = e.timestamp("OrderingTimestamp").orElseThrow();
    return new EvaluationInput(type, id, compliance, annotation, ordering);
  }

  private JsonNode complianceDetails(JsonInput in, RequestContext ctx) {
    String rule = in.required("ConfigRuleName", 1, 64);
    List<String> filter = in.strings("ComplianceTypes");
    JsonInput.checkSize("ComplianceTypes", filter.size(), 0, 3);
    for (String type : filter) {
      if (!COMPLIANCE_TYPES.contains(type) || type.equals("INSUFFICIENT_DATA")) {
        throw ApiException.client(
            "InvalidParameterValueException", "ComplianceTypes cannot filter by " + type + ".");
      }
    }
    int limit = in.integer("Limit", 0, 100).orElse(0);
    if (!store.ruleExists(scope(ctx), rule)) {
      throw ApiException.client(
          "NoSuchConfigRuleException",
          "The ConfigRule '"
              + rule
              + "' provided in the request is invalid. Please check the"
              + " configRule name.");
    }
    List<StoredEvaluation> results =
        store.results(scope(ctx), rule).stream()
            .filter(r -> filter.isEmpty() || filter.contains(r.complianceType()))
            .toList();
    int start = offset(in.string("NextToken").orElse(null), results.size());
    int end = Math.min(results.size(), start + (limit == 0 ? 10 : limit));
    ArrayNode list = Json.MAPPER.createArrayNode();
    results.subList(start, end).forEach(r -> list.add(result(r)));
    ObjectNode out = Json.object();
    out.set("EvaluationResults", list);
    if (end < results.size()) {
      out.put("NextToken", token(end));
    }
    return out;
  }

  private static ObjectNode result(StoredEvaluation e) {
    ObjectNode qualifier = Json.object();
    qualifier.put("ConfigRuleName", e.configRuleName());
    qualifier.put("ResourceType", e.resourceType()).put("ResourceId", e.resourceId());
    qualifier.put("EvaluationMode", "DETECTIVE");
    ObjectNode identifier = Json.object();
    identifier.set("EvaluationResultQualifier", qualifier);
    identifier.put("OrderingTimestamp", Json.epochSeconds(e.orderingTimestamp()));
    ObjectNode result = Json.object();
    result.set("EvaluationResultIdentifier", identifier);
    result.put("ComplianceType", e.complianceType());
    result.put("ResultRecordedTime", Json.epochSeconds(e.resultRecordedTime()));
    // The stand-in does not invoke rules itself; the report time is the best invocation time.
    result.put("ConfigRuleInvokedTime", Json.epochSeconds(e.resultRecordedTime()));
    if (e.annotation() != null) {
      result.put("Annotation", e.annotation());
    }
    return result;
  }

  private JsonNode resourceConfigHistory(JsonInput in, RequestContext ctx) {
    String type = in.required("resourceType");
    String id = in.required("resourceId", 1, 768);
    int limit = in.integer("limit", 0, Integer.MAX_VALUE).orElse(0);
    if (limit > 100) {
      throw ApiException.client(
          "InvalidLimitException", "The limit " + limit + " is above the maximum of 100.");
    }
    Instant later = in.timestamp("laterTime").orElse(ctx.now());
    Instant earlier = in.timestamp("earlierTime").orElse(Instant.EPOCH);
    if (earlier.isAfter(later)) {
      throw ApiException.client(
          "InvalidTimeRangeException", "earlierTime must not be after laterTime.");
    }
    if (in.has("nextToken")) {
      throw ApiException.client("InvalidNextTokenException", "The nextToken is not valid.");
    }
    if (!type.equals("AWS::KMS::Key")) {
      throw notDiscovered(type, id);
    }
    KeySnapshot key =
        kms.snapshot(ctx.account(), ctx.region(), id).orElseThrow(() -> notDiscovered(type, id));
    ArrayNode items = Json.MAPPER.createArrayNode();
    Instant captured = key.lastChanged();
    if (!captured.isAfter(later) && !captured.isBefore(earlier)) {
      items.add(ConfigurationItems.forKey(key));
    }
    ObjectNode out = Json.object();
    out.set("configurationItems", items);
    return out;
  }

  /**
   * Config refuses a start "if an evaluation is in progress or if you call the
   * StartConfigRulesEvaluation API more than once per minute" (LimitExceededException). Runs are
   * not modelled, so only the once-a-minute part is; an evaluation in progress is a fault to
   * inject.
   */
  private JsonNode startEvaluation(JsonInput in, RequestContext ctx) {
    List<String> names = in.strings("ConfigRuleNames");
    JsonInput.checkSize("ConfigRuleNames", names.size(), 1, 25);
    for (String name : names) {
      JsonInput.checkLength("ConfigRuleNames", name, 1, 128);
      if (!store.ruleExists(scope(ctx), name)) {
        throw ApiException.client(
            "NoSuchConfigRuleException", "The ConfigRule '" + name + "' does not exist.");
      }
    }
    for (String name : names) {
      Optional<Instant> last = store.lastStart(scope(ctx), name);
      if (last.isPresent() && ctx.now().isBefore(last.get().plus(START_INTERVAL))) {
        throw ApiException.client(
            "LimitExceededException",
            "An evaluation of the ConfigRule '"
                + name
                + "' was started less than a minute ago; you can start it once per minute.");
      }
    }
    store.recordStart(scope(ctx), names, ctx.now());
    return Json.object();
  }

  /** The registered rules as custom Lambda rules; 25 per page, like the API's pages. */
  private JsonNode describeRules(JsonInput in, RequestContext ctx) {
    List<String> names = in.strings("ConfigRuleNames");
    JsonInput.checkSize("ConfigRuleNames", names.size(), 0, 25);
    List<String> known = store.ruleNames(scope(ctx));
    for (String name : names) {
      if (!known.contains(name)) {
        throw ApiException.client(
            "NoSuchConfigRuleException",
            "The ConfigRule '"
                + name
                + "' provided in the request is invalid. Please check the configRule name.");
      }
    }
    List<String> selected =
        names.isEmpty() ? known : known.stream().filter(names::contains).toList();
    int start = offset(in.string("NextToken").orElse(null), selected.size());
    int end = Math.min(selected.size(), start + RULES_PAGE);
    ArrayNode rules = Json.MAPPER.createArrayNode();
    for (String name : selected.subList(start, end)) {
      String id = ruleId(ctx, name);
      ObjectNode rule = rules.addObject();
      rule.put("ConfigRuleName", name);
      rule.put(
          "ConfigRuleArn",
          "arn:aws:config:" + ctx.region() + ":" + ctx.account() + ":config-rule/" + id);
      rule.put("ConfigRuleId", id);
      rule.putObject("Source").put("Owner", "CUSTOM_LAMBDA");
      rule.put("ConfigRuleState", "ACTIVE");
    }
    ObjectNode out = Json.object();
    out.set("ConfigRules", rules);
    if (end < selected.size()) {
      out.put("NextToken", token(end));
    }
    return out;
  }

  /** A stable generated ID, shaped like Config's ({@code config-rule-} and six characters). */
  private static String ruleId(RequestContext ctx, String name) {
    String seed = ctx.account() + "/" + ctx.region() + "/" + name;
    String suffix = Long.toString(Math.floorMod((long) seed.hashCode(), 2_176_782_336L), 36);
    return "config-rule-" + "0".repeat(6 - suffix.length()) + suffix;
  }

  private static ApiException notDiscovered(String type, String id) {
    return ApiException.client(
        "ResourceNotDiscoveredException",
        "Resource " + id + " of resourceType:" + type + " is unknown or has not been discovered");
  }

  private static ObjectNode emptyFailures() {
    ObjectNode out = Json.object();
    out.putArray("FailedEvaluations");
    return out;
  }

  private static int offset(String token, int size) {
    if (token == null) {
      return 0;
    }
    try {
      int offset =
          Integer.parseInt(
              new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
      if (offset < 0 || offset > size) {
        throw new NumberFormatException("out of range");
      }
      return offset;
    } catch (IllegalArgumentException e) {
      throw ApiException.client("InvalidNextTokenException", "The nextToken is not valid.");
    }
  }

  private static String token(int offset) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(String.valueOf(offset).getBytes(StandardCharsets.UTF_8));
  }

  private static Scope scope(RequestContext ctx) {
    return new Scope(ctx.account(), ctx.region());
  }

  private record EvaluationInput(
      String resourceType,
      String resourceId,
      String complianceType,
      String annotation,
      Instant orderingTimestamp) {}

  /**
   * The member accounts' statuses of one organization pack (Filters AccountId and Status, Limit 0
   * to 100, 0 meaning the default 100, NextToken); an unknown pack is
   * NoSuchOrganizationConformancePackException.
   */
  private JsonNode packDetailedStatus(JsonInput in, RequestContext ctx) {
    String name = in.required("OrganizationConformancePackName", 1, 128);
    OrganizationPacks packs = store.organizationPacks();
    if (packs.find(scope(ctx), name).isEmpty()) {
      throw ApiException.client(
          "NoSuchOrganizationConformancePackException",
          "Could not find an organization conformance pack with the name " + name + ".");
    }
    JsonNode filters = in.raw().path("Filters");
    String account = filters.path("AccountId").asText("");
    String status = filters.path("Status").asText("");
    if (!status.isEmpty() && !OrganizationPacks.STATUSES.contains(status)) {
      throw ApiException.validation(
          "1 validation error detected: Value '"
              + status
              + "' at 'filters.status' failed to satisfy constraint: Member must satisfy enum value"
              + " set");
    }
    List<OrganizationPacks.MemberStatus> members =
        packs.members(scope(ctx), name).stream()
            .filter(m -> account.isEmpty() || m.account().equals(account))
            .filter(m -> status.isEmpty() || m.status().equals(status))
            .toList();
    int limit = in.integer("Limit", 0, 100).orElse(0);
    Page page = page(in, members.size(), limit == 0 ? 100 : limit);
    ArrayNode list = Json.MAPPER.createArrayNode();
    for (OrganizationPacks.MemberStatus m : members.subList(page.start(), page.end())) {
      ObjectNode item =
          list.addObject()
              .put("AccountId", m.account())
              .put("ConformancePackName", "OrgConformsPack-" + name)
              .put("Status", m.status());
      m.errorCode().ifPresent(c -> item.put("ErrorCode", c));
      m.errorMessage().ifPresent(c -> item.put("ErrorMessage", c));
      item.put("LastUpdateTime", Json.epochSeconds(ctx.now()));
    }
    ObjectNode out = Json.object();
    out.set("OrganizationConformancePackDetailedStatuses", list);
    page.next().ifPresent(t -> out.put("NextToken", t));
    return out;
  }

  private JsonNode describeOrganizationPacks(JsonInput in, RequestContext ctx) {
    List<String> names = in.strings("OrganizationConformancePackNames");
    JsonInput.checkSize("OrganizationConformancePackNames", names.size(), 0, 25);
    OrganizationPacks packs = store.organizationPacks();
    List<OrganizationPacks.Pack> chosen;
    if (names.isEmpty()) {
      chosen = packs.all(scope(ctx));
    } else {
      chosen = new java.util.ArrayList<>();
      for (String name : names) {
        chosen.add(
            packs
                .find(scope(ctx), name)
                .orElseThrow(
                    () ->
                        ApiException.client(
                            "NoSuchOrganizationConformancePackException",
                            "Could not find an organization conformance pack with the name "
                                + name
                                + ".")));
      }
    }
    int limit = in.integer("Limit", 0, 100).orElse(0);
    Page page = page(in, chosen.size(), limit == 0 ? 100 : limit);
    ArrayNode list = Json.MAPPER.createArrayNode();
    for (OrganizationPacks.Pack pack : chosen.subList(page.start(), page.end())) {
      ObjectNode item =
          list.addObject()
              .put("OrganizationConformancePackName", pack.name())
              .put(
                  "OrganizationConformancePackArn",
                  "arn:aws:config:"
                      + ctx.region()
                      + ":"
                      + ctx.account()
                      + ":organization-conformance-pack/"
                      + pack.name()
                      + "-localaws");
      pack.deliveryBucket().ifPresent(b -> item.put("DeliveryS3Bucket", b));
      ArrayNode parameters = item.putArray("ConformancePackInputParameters");
      pack.inputParameters()
          .forEach(
              (k, v) -> parameters.addObject().put("ParameterName", k).put("ParameterValue", v));
      ArrayNode excluded = item.putArray("ExcludedAccounts");
      pack.excludedAccounts().forEach(excluded::add);
      item.put("LastUpdateTime", Json.epochSeconds(ctx.now()));
    }
    ObjectNode out = Json.object();
    out.set("OrganizationConformancePacks", list);
    page.next().ifPresent(t -> out.put("NextToken", t));
    return out;
  }

  private record Page(int start, int end, Optional<String> next) {}

  private static Page page(JsonInput in, int size, int limit) {
    int start = 0;
    Optional<String> token = in.string("NextToken");
    if (token.isPresent()) {
      if (!token.get().matches("page-\\d+") || Integer.parseInt(token.get().substring(5)) >= size) {
        throw ApiException.client("InvalidNextTokenException", "The nextToken provided is invalid");
      }
      start = Integer.parseInt(token.get().substring(5));
    }
    int end = Math.min(size, start + limit);
    return new Page(start, end, end < size ? Optional.of("page-" + end) : Optional.empty());
  }
}
