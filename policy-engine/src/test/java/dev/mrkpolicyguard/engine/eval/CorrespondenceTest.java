package dev.mrkpolicyguard.engine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CorrespondenceTest {
  private final Correspondence moving = new Correspondence("eu-west-1", "us-east-1");

  @Test
  void move_regionalValues_tradeRegionsAndThirdRegionsStay() {
    Request onReplica =
        new Request(
            new Caller.Service("logs.eu-west-1.amazonaws.com"),
            false,
            "kms:Decrypt",
            Map.of(
                "kms:ViaService", List.of("ec2.eu-west-1.amazonaws.com"),
                "kms:EncryptionContext:aws:logs:arn",
                    List.of("arn:aws:logs:eu-west-1:111122223333:log-group:app"),
                "aws:SourceArn", List.of("arn:aws:s3:ap-south-1:111122223333:accesspoint/x"),
                "kms:EncryptionContext:Region", List.of("eu-west-1")));
    Request onPrimary = moving.move(onReplica);
    assertEquals(new Caller.Service("logs.us-east-1.amazonaws.com"), onPrimary.caller());
    assertEquals(List.of("ec2.us-east-1.amazonaws.com"), onPrimary.context().get("kms:viaservice"));
    assertEquals(
        List.of("arn:aws:logs:us-east-1:111122223333:log-group:app"),
        onPrimary.context().get("kms:encryptioncontext:aws:logs:arn"));
    assertEquals(
        List.of("arn:aws:s3:ap-south-1:111122223333:accesspoint/x"),
        onPrimary.context().get("aws:sourcearn"));
    assertEquals(List.of("eu-west-1"), onPrimary.context().get("kms:encryptioncontext:region"));
    assertEquals(onReplica, moving.move(onPrimary));
  }
}
