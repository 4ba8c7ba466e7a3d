package dev.mrkpolicyguard.localaws.ssm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mrkpolicyguard.localaws.LocalAwsServer;
import dev.mrkpolicyguard.localaws.TestClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterAlreadyExistsException;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.ParameterVersionNotFoundException;
import software.amazon.awssdk.services.ssm.model.SsmException;

class SsmServiceTest {
  private static LocalAwsServer server;
  private static SsmClient ssm;

  @BeforeAll
  static void start() {
    server = LocalAwsServer.builder().build().start();
    ssm = TestClients.ssm(server, "eu-west-1");
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @BeforeEach
  void reset() {
    server.reset();
  }

  @Test
  void putParameter_new_returnsVersionOneAndReadsBack() {
    var put = ssm.putParameter(r -> r.name("/mrk/baseline").value("v1").type(ParameterType.STRING));
    Parameter p = ssm.getParameter(r -> r.name("/mrk/baseline")).parameter();
    assertEquals(1L, put.version());
    assertEquals("v1", p.value());
    assertEquals(ParameterType.STRING, p.type());
    assertEquals("arn:aws:ssm:eu-west-1:111122223333:parameter/mrk/baseline", p.arn());
  }

  @Test
  void putParameter_overwrite_incrementsVersion() {
    ssm.putParameter(r -> r.name("/p").value("v1").type(ParameterType.STRING));
    var put = ssm.putParameter(r -> r.name("/p").value("v2").overwrite(true));
    assertEquals(2L, put.version());
    assertEquals("v2", ssm.getParameter(r -> r.name("/p")).parameter().value());
    assertEquals("v1", ssm.getParameter(r -> r.name("/p:1")).parameter().value());
  }

  @Test
  void putParameter_existingWithoutOverwrite_throwsParameterAlreadyExists() {
    ssm.putParameter(r -> r.name("/p").value("v1").type(ParameterType.STRING));
    assertThrows(
        ParameterAlreadyExistsException.class,
        () -> ssm.putParameter(r -> r.name("/p").value("v2").type(ParameterType.STRING)));
  }

  @Test
  void putParameter_newWithoutType_throwsValidationException() {
    SsmException e =
        assertThrows(SsmException.class, () -> ssm.putParameter(r -> r.name("/p").value("v")));
    assertEquals("ValidationException", e.awsErrorDetails().errorCode());
  }

  @Test
  void getParameter_unknown_throwsParameterNotFound() {
    assertThrows(ParameterNotFoundException.class, () -> ssm.getParameter(r -> r.name("/missing")));
  }

  @Test
  void getParameter_unknownVersion_throwsParameterVersionNotFound() {
    ssm.putParameter(r -> r.name("/p").value("v1").type(ParameterType.STRING));
    assertThrows(
        ParameterVersionNotFoundException.class, () -> ssm.getParameter(r -> r.name("/p:7")));
  }

  @Test
  void getParameter_otherRegion_throwsParameterNotFound() {
    ssm.putParameter(r -> r.name("/p").value("v1").type(ParameterType.STRING));
    SsmClient east = TestClients.ssm(server, "us-east-1");
    assertThrows(ParameterNotFoundException.class, () -> east.getParameter(r -> r.name("/p")));
  }
}
