package dev.mrkpolicyguard.localaws.organizations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.localaws.protocol.ApiException;
import dev.mrkpolicyguard.localaws.protocol.Json;
import dev.mrkpolicyguard.localaws.protocol.JsonInput;
import dev.mrkpolicyguard.localaws.protocol.JsonService;
import dev.mrkpolicyguard.localaws.protocol.RequestContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * AWS Organizations ({@code AWSOrganizationsV20161128}) over JSON 1.1: ListAccounts of one
 * organization whose accounts a test seeds with {@link #addAccount}. Pages of at most MaxResults (1
 * to 20, default 20) with an opaque NextToken, as the service does. Without seeded accounts the
 * caller is in no organization (AWSOrganizationsNotInUseException).
 */
public final class OrganizationsService implements JsonService {
  /** Account states ListAccounts reports (the State member; Status is its older form). */
  public static final Set<String> STATES =
      Set.of("PENDING_ACTIVATION", "ACTIVE", "SUSPENDED", "PENDING_CLOSURE", "CLOSED");

  private static final int MAX_RESULTS = 20;

  private record Account(String id, String name, String state, Instant joined) {}

  private final List<Account> accounts = new ArrayList<>();

  @Override
  public String name() {
    return "organizations";
  }

  @Override
  public String targetPrefix() {
    return "AWSOrganizationsV20161128";
  }

  /** Adds an account of the organization, in a state of {@link #STATES}. */
  public synchronized void addAccount(String id, String name, String state) {
    Objects.requireNonNull(name, "name");
    if (id == null || !id.matches("\\d{12}")) {
      throw new IllegalArgumentException("an account id is 12 digits, not " + id);
    }
    if (!STATES.contains(state)) {
      throw new IllegalArgumentException("unknown account state " + state);
    }
    accounts.add(new Account(id, name, state, Instant.parse("2026-01-01T00:00:00Z")));
  }

  public synchronized void reset() {
    accounts.clear();
  }

  @Override
  public synchronized JsonNode handle(String operation, JsonInput in, RequestContext ctx) {
    if (!operation.equals("ListAccounts")) {
      throw ApiException.client(
          "UnknownOperationException", "local-aws does not implement Organizations " + operation);
    }
    if (accounts.isEmpty()) {
      throw ApiException.client(
          "AWSOrganizationsNotInUseException", "Your account is not a member of an organization.");
    }
    int limit = in.integer("MaxResults", 1, MAX_RESULTS).orElse(MAX_RESULTS);
    int start = 0;
    String token = in.string("NextToken").orElse(null);
    if (token != null) {
      if (!token.matches("page-\\d+") || Integer.parseInt(token.substring(5)) >= accounts.size()) {
        throw ApiException.client("InvalidInputException", "The NextToken is not valid.");
      }
      start = Integer.parseInt(token.substring(5));
    }
    int end = Math.min(accounts.size(), start + limit);
    ArrayNode list = Json.MAPPER.createArrayNode();
    String management = accounts.get(0).id();
    for (Account account : accounts.subList(start, end)) {
      String status = account.state().equals("ACTIVE") ? "ACTIVE" : "SUSPENDED";
      list.add(
          Json.object()
              .put("Id", account.id())
              .put(
                  "Arn",
                  "arn:aws:organizations::"
                      + management
                      + ":account/o-localaws0001/"
                      + account.id())
              .put("Email", account.id() + "@example.com")
              .put("Name", account.name())
              .put("Status", status)
              .put("State", account.state())
              .put("JoinedMethod", "CREATED")
              .put("JoinedTimestamp", Json.epochSeconds(account.joined())));
    }
    ObjectNode out = Json.object();
    out.set("Accounts", list);
    if (end < accounts.size()) {
      out.put("NextToken", "page-" + end);
    }
    return out;
  }
}
