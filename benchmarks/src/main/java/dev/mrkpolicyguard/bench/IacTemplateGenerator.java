package dev.mrkpolicyguard.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a CloudFormation template of N resources for timing {@code check-iac}: K {@code
 * AWS::KMS::ReplicaKey} replicas of existing primaries, each with an alias, and S3 buckets for the
 * rest. Every replica policy is distinct (its own Sid), so no comparison is remembered from
 * another; every other replica also grants a partner account, so half of them carry findings with
 * witnesses. Usage: {@code IacTemplateGenerator OUT.yaml [N [K]]} (K defaults to N/2, every
 * resource a key or its alias); the primary's policy goes to {@code OUT.primary.json}.
 */
public final class IacTemplateGenerator {
  private IacTemplateGenerator() {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args[0]);
    int resources = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int replicas = args.length > 2 ? Integer.parseInt(args[2]) : resources / 2;
    Files.writeString(out, template(replicas, resources - 2 * replicas), StandardCharsets.UTF_8);
    Path primary = Path.of(out.toString().replaceAll("\\.yaml$", "") + ".primary.json");
    Files.writeString(primary, primaryPolicy(), StandardCharsets.UTF_8);
  }

  static String primaryPolicy() {
    return """
        {"Version": "2012-10-17", "Statement": [
          {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
           "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
          {"Sid": "Allow use of the key", "Effect": "Allow",
           "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
           "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "*"}]}
        """;
  }

  static String template(int replicas, int buckets) {
    StringBuilder t = new StringBuilder();
    t.append("AWSTemplateFormatVersion: \"2010-09-09\"\n");
    t.append("Description: ").append(replicas).append(" replica keys with aliases\n");
    t.append("Parameters:\n  AppRole:\n    Type: String\n    Default: App\n");
    t.append("Resources:\n");
    for (int i = 0; i < replicas; i++) {
      String id = String.format("%032x", i + 1);
      t.append("  Replica").append(i).append(":\n");
      t.append("    Type: AWS::KMS::ReplicaKey\n    Properties:\n");
      t.append("      PrimaryKeyArn: arn:aws:kms:us-east-1:111122223333:key/mrk-")
          .append(id)
          .append('\n');
      t.append("      KeyPolicy:\n        Version: \"2012-10-17\"\n        Statement:\n");
      t.append("          - Sid: Enable IAM User Permissions ").append(i).append('\n');
      t.append("            Effect: Allow\n");
      t.append(
          "            Principal: {AWS: !Sub \"arn:${AWS::Partition}:iam::${AWS::AccountId}:root\"}\n");
      t.append("            Action: kms:*\n            Resource: \"*\"\n");
      t.append("          - Sid: Allow use of the key\n            Effect: Allow\n");
      t.append(
          "            Principal: {AWS: !Sub \"arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${AppRole}\"}\n");
      t.append("            Action: [kms:Encrypt, kms:Decrypt, kms:GenerateDataKey*]\n");
      t.append("            Resource: \"*\"\n");
      if (i % 2 == 1) {
        t.append("          - Sid: Partner\n            Effect: Allow\n");
        t.append(
            String.format(
                "            Principal: {AWS: \"arn:aws:iam::4444555566%02d:root\"}%n", i % 100));
        t.append("            Action: kms:Decrypt\n            Resource: \"*\"\n");
      }
      t.append("  Alias").append(i).append(":\n    Type: AWS::KMS::Alias\n    Properties:\n");
      t.append("      AliasName: alias/replica-").append(i).append('\n');
      t.append("      TargetKeyId: !Ref Replica").append(i).append('\n');
    }
    for (int i = 0; i < buckets; i++) {
      t.append("  Bucket").append(i).append(":\n    Type: AWS::S3::Bucket\n    Properties:\n");
      t.append("      BucketName: !Sub \"data-")
          .append(i)
          .append("-${AWS::AccountId}-${AWS::Region}\"\n");
    }
    return t.toString();
  }
}
