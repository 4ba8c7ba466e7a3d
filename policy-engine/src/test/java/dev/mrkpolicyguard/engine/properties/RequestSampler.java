package dev.mrkpolicyguard.engine.properties;

import dev.mrkpolicyguard.engine.catalog.KmsCatalog;
import dev.mrkpolicyguard.engine.eval.Caller;
import dev.mrkpolicyguard.engine.eval.Request;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Random requests to a key in a given Region: callers named in the generator's pools and callers
 * nobody names, real KMS actions, and context values taken from the condition pool plus others.
 * Only keys the action can carry are set (the comparator treats other keys as absent), {@code
 * aws:CurrentTime} is always set, and {@code kms:ViaService} only names services of the key's
 * Region, as KMS guarantees.
 */
final class RequestSampler {
  private static final KmsCatalog CATALOG = KmsCatalog.standard();

  private final String region;
  private final List<Caller> callers = new ArrayList<>();

  RequestSampler(String region) {
    this.region = region;
    for (String account : List.of("111122223333", "444455556666", "999988887777")) {
      callers.add(new Caller.Iam("arn:aws:iam::" + account + ":root", null));
    }
    for (String arn :
        List.of(
            "arn:aws:iam::111122223333:role/KeyAdmin",
            "arn:aws:iam::111122223333:role/AppRole",
            "arn:aws:iam::111122223333:role/AppServer",
            "arn:aws:iam::111122223333:role/Other",
            "arn:aws:iam::111122223333:user/Alice",
            "arn:aws:iam::111122223333:user/Bob",
            "arn:aws:iam::444455556666:role/Partner",
            "arn:aws:iam::444455556666:role/AppRole",
            "arn:aws:iam::444455556666:user/Carol",
            "arn:aws:iam::999988887777:role/Stranger")) {
      callers.add(new Caller.Iam(arn, null));
    }
    callers.add(new Caller.Iam("arn:aws:iam::111122223333:role/AppRole", "session-1"));
    callers.add(new Caller.Iam("arn:aws:iam::444455556666:role/Partner", "session-2"));
    callers.add(new Caller.Iam("arn:aws:sts::111122223333:federated-user/Dave", null));
    for (String service :
        List.of(
            "logs." + region + ".amazonaws.com",
            "cloudtrail.amazonaws.com",
            "ec2.amazonaws.com",
            "s3.amazonaws.com")) {
      callers.add(new Caller.Service(service));
    }
    callers.add(new Caller.Federated("cognito-identity.amazonaws.com"));
    // No anonymous caller and no action that uses no key: KMS never receives such a request for a
    // key (semantics notes, "Only requests KMS can receive").
  }

  Request next(Random random) {
    Caller caller = PolicyGenerators.pick(callers, random);
    List<String> actions =
        CATALOG.actions().stream().filter(a -> !KmsCatalog.NON_KEY_ACTIONS.contains(a)).toList();
    String action = actions.get(random.nextInt(actions.size()));
    Map<String, List<String>> context = new LinkedHashMap<>();
    context.put(
        "aws:CurrentTime",
        List.of(
            PolicyGenerators.pick(
                List.of("2024-06-01T00:00:00Z", "2030-01-01T00:00:00Z", "2031-01-01T12:00:00Z"),
                random)));
    maybe(
        context,
        action,
        "kms:ViaService",
        List.of(
            "ec2." + region + ".amazonaws.com",
            "rds." + region + ".amazonaws.com",
            "s3." + region + ".amazonaws.com"),
        random);
    maybe(context, action, "kms:GrantIsForAWSResource", List.of("true", "false"), random);
    maybe(
        context,
        action,
        "kms:EncryptionContext:Department",
        List.of("Finance", "HR", "Fin", "Engineering", "finance"),
        random);
    maybe(context, action, "aws:SourceIp", List.of("10.1.2.3", "192.168.1.1", "11.0.0.1"), random);
    if (CATALOG.available(action, "kms:encryptioncontextkeys") && random.nextInt(3) > 0) {
      List<String> keys = new ArrayList<>();
      for (String name : List.of("Department", "Project", "Team")) {
        if (random.nextBoolean()) {
          keys.add(name);
        }
      }
      if (!keys.isEmpty()) {
        context.put("kms:EncryptionContextKeys", keys);
      }
    }
    return new Request(caller, random.nextBoolean(), action, context);
  }

  private static void maybe(
      Map<String, List<String>> context,
      String action,
      String key,
      List<String> values,
      Random random) {
    if (CATALOG.available(action, key.toLowerCase(Locale.ROOT)) && random.nextInt(3) > 0) {
      context.put(key, List.of(PolicyGenerators.pick(values, random)));
    }
  }
}
