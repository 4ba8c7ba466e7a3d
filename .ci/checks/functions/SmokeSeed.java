import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Seeds the stand-in for the function smoke runs, on the command-line jar's classpath (the
 * function jars lack the write calls): a multi-Region primary in us-east-1, its replica in
 * eu-west-1 with one extra statement (drifted), the baseline parameter, the backup bucket and the
 * trigger's queue. Prints shell assignments of the key ARNs and the queue URL. SMOKE_SEED_FLEET=N
 * adds N more primaries with one replica each (every fifth drifted), for a periodic run over a
 * fleet (benchmarks/snapstart.sh).
 */
public final class SmokeSeed {
  public static void main(String[] args) throws Exception {
    URI endpoint = URI.create(args[0]);
    String baseline = Files.readString(Path.of(args[1]));
    StaticCredentialsProvider creds =
        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x"));
    String account = "111122223333";
    String root = "{\"Sid\":\"Root\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
        + account + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}";
    // The baseline (examples/baseline.json) wants the BreakGlass role on every key.
    root += ",{\"Sid\":\"BreakGlass\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
        + account + ":role/BreakGlass\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}";
    String primaryPolicy = "{\"Version\":\"2012-10-17\",\"Statement\":[" + root + "]}";
    String replicaPolicy = "{\"Version\":\"2012-10-17\",\"Statement\":[" + root
        + ",{\"Sid\":\"Extra\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::444455556666:root\"},"
        + "\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}]}";
    try (KmsClient east = KmsClient.builder().region(Region.US_EAST_1).credentialsProvider(creds)
            .endpointOverride(endpoint).build();
        SsmClient ssm = SsmClient.builder().region(Region.EU_WEST_1).credentialsProvider(creds)
            .endpointOverride(endpoint).build();
        S3Client s3 = S3Client.builder().region(Region.EU_WEST_1).credentialsProvider(creds)
            .endpointOverride(endpoint).forcePathStyle(true).build();
        SqsClient sqs = SqsClient.builder().region(Region.EU_WEST_1).credentialsProvider(creds)
            .endpointOverride(endpoint).build()) {
      String primary = east.createKey(r -> r.multiRegion(true).policy(primaryPolicy))
          .keyMetadata().arn();
      String replica = east.replicateKey(r -> r.keyId(primary).replicaRegion("eu-west-1")
          .policy(replicaPolicy)).replicaKeyMetadata().arn();
      int fleet = Integer.parseInt(System.getenv().getOrDefault("SMOKE_SEED_FLEET", "0"));
      for (int i = 0; i < fleet; i++) {
        String p = east.createKey(r -> r.multiRegion(true).policy(primaryPolicy))
            .keyMetadata().arn();
        String policy = i % 5 == 0 ? replicaPolicy : primaryPolicy;
        east.replicateKey(r -> r.keyId(p).replicaRegion("eu-west-1").policy(policy));
      }
      ssm.putParameter(r -> r.name("/mrk-policy-guard/baseline").type("String").value(baseline));
      s3.createBucket(r -> r.bucket("mrk-policy-guard-backups"));
      String queue = sqs.createQueue(r -> r.queueName("mrk-policy-guard-deferrals")).queueUrl();
      System.out.println("PRIMARY_ARN=" + primary);
      System.out.println("REPLICA_ARN=" + replica);
      System.out.println("QUEUE_URL=" + queue);
    }
  }
}
