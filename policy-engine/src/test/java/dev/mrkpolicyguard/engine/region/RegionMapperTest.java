package dev.mrkpolicyguard.engine.region;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mrkpolicyguard.engine.Policies;
import dev.mrkpolicyguard.engine.policy.KeyPolicy;
import dev.mrkpolicyguard.engine.policy.PrincipalAtom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegionMapperTest {
  private final RegionMapper mapper = new RegionMapper("us-east-1", "eu-west-1");

  @ParameterizedTest
  @CsvSource({
    "arn:aws:kms:us-east-1:111122223333:key/mrk-1, arn:aws:kms:eu-west-1:111122223333:key/mrk-1",
    "arn:aws:logs:us-east-1:111122223333:*, arn:aws:logs:eu-west-1:111122223333:*",
    "ec2.us-east-1.amazonaws.com, ec2.eu-west-1.amazonaws.com",
    "logs.us-east-1.amazonaws.com, logs.eu-west-1.amazonaws.com",
    "*.us-east-1.amazonaws.com, *.eu-west-1.amazonaws.com",
    "arn:aws:logs:us-west-2:111122223333:*, arn:aws:logs:us-west-2:111122223333:*",
    "ec2.us-east-1x.amazonaws.com, ec2.us-east-1x.amazonaws.com",
    "us-east-1, us-east-1",
    "arn:aws:iam::111122223333:role/us-east-1, arn:aws:iam::111122223333:role/us-east-1"
  })
  void mapValue_regionBearingValues_areMappedAndOthersLeftAlone(String in, String out) {
    assertEquals(out, mapper.mapValue(in));
  }

  @Test
  void map_requestedRegion_followsTheKeyWhileOtherRegionValuedKeysStay() {
    KeyPolicy policy =
        Policies.of(
            Policies.allowIf(
                Policies.ROOT,
                "\"kms:ReplicateKey\"",
                "{\"StringEquals\":{\"kms:ReplicaRegion\":\"us-east-1\",\"aws:RequestedRegion\":\"us-east-1\","
                    + "\"kms:ViaService\":\"ec2.us-east-1.amazonaws.com\"}}"));
    var conditions = mapper.map(policy).statements().get(0).conditions();
    assertEquals("us-east-1", conditions.get(0).values().get(0));
    assertEquals("eu-west-1", conditions.get(1).values().get(0));
    assertEquals("ec2.eu-west-1.amazonaws.com", conditions.get(2).values().get(0));
  }

  @Test
  void map_servicePrincipal_isMapped() {
    KeyPolicy policy =
        Policies.of(
            Policies.allow("{\"Service\":\"logs.us-east-1.amazonaws.com\"}", "\"kms:Encrypt\""));
    assertEquals(
        new PrincipalAtom.Service("logs.eu-west-1.amazonaws.com"),
        mapper.map(policy).statements().get(0).principal().atoms().get(0));
  }

  @Test
  void mapDocument_keepsSidsAndMapsRegionBearingValues() {
    String json =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"logs.us-east-1.amazonaws.com\","
            + "\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"logs.us-east-1.amazonaws.com\"},"
            + "\"Action\":\"kms:*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{"
            + "\"aws:RequestedRegion\":\"us-east-1\",\"kms:ViaService\":[\"ec2.us-east-1.amazonaws.com\"]}}}]}";
    var mapped = Policies.parse(mapper.mapDocument(json)).statements().get(0);
    assertEquals("logs.us-east-1.amazonaws.com", mapped.sid());
    assertEquals(
        new PrincipalAtom.Service("logs.eu-west-1.amazonaws.com"),
        mapped.principal().atoms().get(0));
    assertEquals("eu-west-1", mapped.conditions().get(0).values().get(0));
    assertEquals("ec2.eu-west-1.amazonaws.com", mapped.conditions().get(1).values().get(0));
  }

  @Test
  void mapValue_theTwoRegionsTradePlaces() {
    assertEquals(
        "arn:aws:logs:us-east-1:111122223333:log-group:a",
        mapper.mapValue("arn:aws:logs:eu-west-1:111122223333:log-group:a"));
    assertEquals("ec2.us-east-1.amazonaws.com", mapper.mapValue("ec2.eu-west-1.amazonaws.com"));
    assertEquals(
        "arn:aws:logs:ap-south-1:111122223333:log-group:a",
        mapper.mapValue("arn:aws:logs:ap-south-1:111122223333:log-group:a"));
  }
}
