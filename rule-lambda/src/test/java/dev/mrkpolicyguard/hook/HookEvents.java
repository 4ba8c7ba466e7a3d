package dev.mrkpolicyguard.hook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The sample hook requests of examples/events/, for tests. */
final class HookEvents {
  static final String PRIMARY_ARN =
      "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab";
  static final String CREATE = "hook-replica-key-create.json";
  static final String CREATE_DRIFTED = "hook-replica-key-create-drifted.json";
  static final String PRIMARY_UPDATE = "hook-primary-key-policy-update.json";

  private HookEvents() {}

  /** The event in {@code file}, with the primary's ARN replaced by {@code primaryArn}. */
  static String text(String file, String primaryArn) {
    try {
      return Files.readString(Path.of("../examples/events/" + file))
          .replace(PRIMARY_ARN, primaryArn);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(String file) {
    try {
      return new ObjectMapper().readTree(text(file, PRIMARY_ARN));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The primary's policy as the sample events give it to the replica. */
  static String primaryPolicy() {
    return json(CREATE).at("/requestData/targetModel/resourceProperties/KeyPolicy").toString();
  }
}
