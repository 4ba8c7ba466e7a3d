package dev.mrkpolicyguard.localaws.config;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.localaws.kms.KeySnapshot;
import dev.mrkpolicyguard.localaws.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Builds API-shaped configuration items ({@code GetResourceConfigHistory}) for KMS keys: {@code
 * configuration} and {@code supplementaryConfiguration.Policy} are JSON strings, as Config returns
 * them.
 */
final class ConfigurationItems {
  private ConfigurationItems() {}

  static ObjectNode forKey(KeySnapshot key) {
    ObjectNode item = Json.object();
    item.put("version", "1.3").put("accountId", key.account());
    item.put("configurationItemCaptureTime", Json.epochSeconds(key.lastChanged()));
    item.put("configurationItemStatus", "OK");
    item.put("configurationStateId", String.valueOf(key.lastChanged().toEpochMilli()));
    String configuration = Json.write(configuration(key));
    item.put("configurationItemMD5Hash", md5(configuration + key.policy()));
    item.put("arn", key.arn()).put("resourceType", "AWS::KMS::Key");
    item.put("resourceId", key.keyId()).put("awsRegion", key.region());
    item.put("availabilityZone", "Not Applicable");
    item.put("resourceCreationTime", Json.epochSeconds(key.creationDate()));
    ObjectNode tags = item.putObject("tags");
    key.tags().forEach(tags::put);
    item.putArray("relatedEvents");
    item.putArray("relationships");
    item.put("configuration", configuration);
    ObjectNode supplementary = item.putObject("supplementaryConfiguration");
    supplementary.put("KeyRotationStatus", "false");
    supplementary.put("Policy", key.policy());
    supplementary.put("Tags", Json.write(tagList(key)));
    item.put("recordingFrequency", "CONTINUOUS");
    return item;
  }

  private static ObjectNode configuration(KeySnapshot key) {
    ObjectNode c = Json.object();
    c.put("keyId", key.keyId()).put("arn", key.arn());
    c.put("creationDate", key.creationDate().toString());
    c.put("enabled", key.state().wire().equals("Enabled"));
    c.put("description", key.description()).put("keyUsage", key.keyUsage());
    c.put("keyState", key.state().wire()).put("origin", key.origin());
    c.put("keyManager", key.keyManager());
    c.put("customerMasterKeySpec", key.keySpec()).put("keySpec", key.keySpec());
    if (key.keySpec().equals("SYMMETRIC_DEFAULT")) {
      c.putArray("encryptionAlgorithms").add("SYMMETRIC_DEFAULT");
    }
    c.put("multiRegion", key.multiRegion()).put("awsaccountId", key.account());
    return c;
  }

  private static ArrayNode tagList(KeySnapshot key) {
    ArrayNode list = Json.MAPPER.createArrayNode();
    key.tags().forEach((k, v) -> list.add(Json.object().put("tagKey", k).put("tagValue", v)));
    return list;
  }

  private static String md5(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is part of every JDK", e);
    }
  }
}
