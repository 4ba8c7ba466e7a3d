package dev.mrkpolicyguard.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.RegionMetadata;

/**
 * The one AWS Organizations call the audit needs, {@code ListAccounts}, every page: the SDK's
 * organizations module is not among this project's dependencies, so the call is made here over the
 * SDK's HTTP client and SigV4 signer (AWS JSON 1.1, target {@code
 * AWSOrganizationsV20161128.ListAccounts}). Organizations has one endpoint per partition
 * (botocore's endpoint rules): {@code organizations.us-east-1.amazonaws.com} signed for us-east-1,
 * {@code organizations.us-gov-west-1.amazonaws.com} for us-gov-west-1 and {@code
 * organizations.cn-northwest-1.amazonaws.com.cn} for cn-northwest-1. Throttling
 * (TooManyRequestsException) and 5xx answers are retried with backoff.
 */
public final class OrganizationsAccounts {
  static final String TARGET = "AWSOrganizationsV20161128.ListAccounts";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int ATTEMPTS = 6;
  private static final int MAX_PAGES = 10_000;

  /** One account: its 12-digit id, name and state (ACTIVE, SUSPENDED, ...). */
  public record Account(String id, String name, String state) {
    public boolean active() {
      return "ACTIVE".equals(state);
    }
  }

  /** ListAccounts answered an error: its code (e.g. AccessDeniedException) and message. */
  public static final class ListFailure extends RuntimeException {
    private final String code;

    ListFailure(String code, String message) {
      super(message);
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  /** Waits between attempts; tests pass one that does not sleep. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(long millis) throws InterruptedException;
  }

  private final SdkHttpClient http;
  private final URI endpoint;
  private final String signingRegion;
  private final AwsCredentialsProvider credentials;
  private final Sleeper sleeper;

  /**
   * @param endpointOrNull a stand-in's endpoint, or {@code null} for the partition's own
   * @param partition aws, aws-us-gov or aws-cn: chooses the endpoint and the signing Region
   */
  public OrganizationsAccounts(
      SdkHttpClient http,
      URI endpointOrNull,
      String partition,
      AwsCredentialsProvider credentials,
      Sleeper sleeper) {
    this.http = Objects.requireNonNull(http, "http");
    this.signingRegion = signingRegion(partition);
    this.endpoint = endpointOrNull != null ? endpointOrNull : endpoint(partition);
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
  }

  /**
   * Every account of the organization, read with {@code clients}' own credentials over their HTTP
   * client: from the partition of {@code homeRegion}'s endpoint, or from {@code endpointOrNull}.
   */
  public static List<Account> listAll(
      SdkClientFactory clients, URI endpointOrNull, String homeRegion) {
    return new OrganizationsAccounts(
            clients.httpClient(),
            endpointOrNull,
            partitionOf(homeRegion),
            clients.ownCredentials(),
            Thread::sleep)
        .list();
  }

  /** The partition of {@code region}: aws, aws-us-gov or aws-cn. */
  public static String partitionOf(String region) {
    RegionMetadata metadata = Region.of(region).metadata();
    if (metadata != null) {
      return metadata.partition().id();
    }
    return region.startsWith("us-gov-")
        ? "aws-us-gov"
        : region.startsWith("cn-") ? "aws-cn" : "aws";
  }

  static String signingRegion(String partition) {
    return switch (partition) {
      case "aws" -> "us-east-1";
      case "aws-us-gov" -> "us-gov-west-1";
      case "aws-cn" -> "cn-northwest-1";
      default -> throw new IllegalArgumentException("no Organizations endpoint for " + partition);
    };
  }

  static URI endpoint(String partition) {
    String suffix = partition.equals("aws-cn") ? ".amazonaws.com.cn" : ".amazonaws.com";
    return URI.create("https://organizations." + signingRegion(partition) + suffix);
  }

  /** Every account of the caller's organization, all pages, in the order listed. */
  public List<Account> list() {
    List<Account> out = new ArrayList<>();
    Set<String> tokens = new HashSet<>();
    String token = null;
    for (int page = 0; page < MAX_PAGES; page++) {
      ObjectNode body = MAPPER.createObjectNode();
      if (token != null) {
        body.put("NextToken", token);
      }
      JsonNode answer = call(body);
      for (JsonNode account : answer.path("Accounts")) {
        // State replaces the older Status; read whichever is there.
        String state = account.path("State").asText(account.path("Status").asText(""));
        out.add(new Account(account.path("Id").asText(), account.path("Name").asText(), state));
      }
      token = answer.path("NextToken").isTextual() ? answer.path("NextToken").asText() : null;
      if (token == null || token.isEmpty()) {
        return out;
      }
      if (!tokens.add(token)) {
        throw new ListFailure(
            "RepeatedNextToken", "ListAccounts returned the same NextToken twice");
      }
    }
    throw new ListFailure(
        "TooManyPages", "ListAccounts did not end within " + MAX_PAGES + " pages");
  }

  private JsonNode call(ObjectNode body) {
    String text = body.toString();
    for (int attempt = 1; ; attempt++) {
      Answer answer = send(text);
      if (answer.status() == 200) {
        return answer.json();
      }
      String code = errorCode(answer.json());
      boolean retry =
          answer.status() >= 500
              || answer.status() < 0
              || code.equals("TooManyRequestsException")
              || code.equals("ServiceException");
      if (!retry || attempt == ATTEMPTS) {
        throw new ListFailure(
            code.isEmpty()
                ? (answer.status() < 0 ? "ConnectionFailed" : "HTTP " + answer.status())
                : code,
            answer.json().path("message").asText(answer.json().path("Message").asText("")));
      }
      try {
        sleeper.sleep(Math.min(20_000L, 250L << (attempt - 1)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ListFailure("Interrupted", "interrupted while waiting to retry ListAccounts");
      }
    }
  }

  private static String errorCode(JsonNode json) {
    String type = json.path("__type").asText("");
    // The code may carry a namespace ("...#Code") or a trailing ":" detail.
    int hash = type.lastIndexOf('#');
    String code = hash < 0 ? type : type.substring(hash + 1);
    int colon = code.indexOf(':');
    return colon < 0 ? code : code.substring(0, colon);
  }

  private record Answer(int status, JsonNode json) {}

  private Answer send(String body) {
    SdkHttpRequest request =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(endpoint.resolve("/"))
            .putHeader("Content-Type", "application/x-amz-json-1.1")
            .putHeader("X-Amz-Target", TARGET)
            .build();
    SignedRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(credentials.resolveCredentials())
                        .request(request)
                        .payload(ContentStreamProvider.fromUtf8String(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "organizations")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, signingRegion));
    try {
      HttpExecuteResponse response =
          http.prepareRequest(
                  HttpExecuteRequest.builder()
                      .request(signed.request())
                      .contentStreamProvider(signed.payload().orElse(null))
                      .build())
              .call();
      JsonNode json = MAPPER.createObjectNode();
      if (response.responseBody().isPresent()) {
        try (InputStream in = response.responseBody().get()) {
          byte[] bytes = in.readAllBytes();
          if (bytes.length > 0) {
            json = MAPPER.readTree(bytes);
          }
        }
      }
      return new Answer(response.httpResponse().statusCode(), json);
    } catch (IOException | UncheckedIOException e) {
      return new Answer(
          -1, MAPPER.createObjectNode().put("message", String.valueOf(e.getMessage())));
    }
  }
}
