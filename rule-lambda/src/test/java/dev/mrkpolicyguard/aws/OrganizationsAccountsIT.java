package dev.mrkpolicyguard.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mrkpolicyguard.localaws.LocalAwsServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/** ListAccounts over real HTTP, signed with SigV4, against the stand-in's Organizations. */
class OrganizationsAccountsIT {
  private final LocalAwsServer server = LocalAwsServer.builder().build().start();
  private final List<Long> waits = new ArrayList<>();

  @AfterEach
  void stop() {
    server.stop();
  }

  private OrganizationsAccounts client() {
    return new OrganizationsAccounts(
        UrlConnectionHttpClient.create(),
        server.endpoint(),
        "aws",
        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x")),
        waits::add);
  }

  @Test
  void list_45Accounts_readsEveryPageInOrder() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 45; i++) {
      String id = String.format("1000000000%02d", i);
      ids.add(id);
      server.organizations().addAccount(id, "account " + i, i == 7 ? "SUSPENDED" : "ACTIVE");
    }

    List<OrganizationsAccounts.Account> listed = client().list();

    assertEquals(ids, listed.stream().map(OrganizationsAccounts.Account::id).toList());
    assertEquals(44, listed.stream().filter(OrganizationsAccounts.Account::active).count());
    assertEquals("SUSPENDED", listed.get(7).state());
    // Pages of 20 (the service's maximum): 20 + 20 + 5.
    assertEquals(3, server.calls().count("organizations", "ListAccounts"));
    assertEquals(List.of(), waits);
  }

  @Test
  void list_throttledEveryTime_givesUpAfterSixAttemptsWithBackoff() {
    server.organizations().addAccount("111122223333", "management", "ACTIVE");
    server.faults().add("organizations:ListAccounts:error=TooManyRequestsException");

    OrganizationsAccounts.ListFailure e =
        assertThrows(OrganizationsAccounts.ListFailure.class, () -> client().list());

    assertEquals("TooManyRequestsException", e.code());
    assertEquals(6, server.calls().count("organizations", "ListAccounts"));
    assertEquals(List.of(250L, 500L, 1000L, 2000L, 4000L), waits);
  }

  @Test
  void list_notInAnOrganization_failsWithTheServicesCode() {
    OrganizationsAccounts.ListFailure e =
        assertThrows(OrganizationsAccounts.ListFailure.class, () -> client().list());

    assertEquals("AWSOrganizationsNotInUseException", e.code());
    assertEquals(1, server.calls().count("organizations", "ListAccounts"));
  }

  @Test
  void endpoint_eachPartition_theGlobalEndpointAndItsSigningRegion() {
    assertEquals(
        URI.create("https://organizations.us-east-1.amazonaws.com"),
        OrganizationsAccounts.endpoint("aws"));
    assertEquals(
        URI.create("https://organizations.us-gov-west-1.amazonaws.com"),
        OrganizationsAccounts.endpoint("aws-us-gov"));
    assertEquals(
        URI.create("https://organizations.cn-northwest-1.amazonaws.com.cn"),
        OrganizationsAccounts.endpoint("aws-cn"));
    assertEquals("cn-northwest-1", OrganizationsAccounts.signingRegion("aws-cn"));
  }
}
