package dev.mrkpolicyguard.engine.properties;

import dev.mrkpolicyguard.engine.catalog.KmsCatalog;
import dev.mrkpolicyguard.engine.eval.Caller;
import dev.mrkpolicyguard.engine.eval.Request;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Requests to a key in a given Region, drawn by jqwik (so a failing request shrinks): callers named
 * in the generator's pools and callers nobody names, real KMS actions, and context values taken
 * from the condition pool plus others. Only keys the action can carry are set (the comparator
 * treats other keys as absent), {@code aws:CurrentTime} is always set, and {@code kms:ViaService}
 * only names services of the key's Region, as KMS guarantees.
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

  /** One request. */
  Arbitrary<Request> requests() {
    List<String> actions =
        CATALOG.actions().stream().filter(a -> !KmsCatalog.NON_KEY_ACTIONS.contains(a)).toList();
    return Arbitraries.of(actions).flatMap(this::requests);
  }

  /** {@code size} requests. */
  Arbitrary<List<Request>> requests(int size) {
    return requests().list().ofSize(size);
  }

  private Arbitrary<Request> requests(String action) {
    Arbitrary<String> time =
        Arbitraries.of("2024-06-01T00:00:00Z", "2030-01-01T00:00:00Z", "2031-01-01T12:00:00Z");
    Arbitrary<Optional<String>> via =
        maybe(
            action,
            "kms:ViaService",
            List.of(
                "ec2." + region + ".amazonaws.com",
                "rds." + region + ".amazonaws.com",
                "s3." + region + ".amazonaws.com"));
    Arbitrary<Optional<String>> grant =
        maybe(action, "kms:GrantIsForAWSResource", List.of("true", "false"));
    Arbitrary<Optional<String>> department =
        maybe(
            action,
            "kms:EncryptionContext:Department",
            List.of("Finance", "HR", "Fin", "Engineering", "finance"));
    Arbitrary<Optional<String>> sourceIp =
        maybe(action, "aws:SourceIp", List.of("10.1.2.3", "192.168.1.1", "11.0.0.1"));
    Arbitrary<List<String>> contextKeys =
        CATALOG.available(action, "kms:encryptioncontextkeys")
            ? Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(List.<String>of())),
                Tuple.of(
                    2,
                    Arbitraries.of(true, false)
                        .list()
                        .ofSize(3)
                        .map(
                            flags -> {
                              List<String> keys = new ArrayList<>();
                              List<String> names = List.of("Department", "Project", "Team");
                              for (int i = 0; i < names.size(); i++) {
                                if (flags.get(i)) {
                                  keys.add(names.get(i));
                                }
                              }
                              return List.copyOf(keys);
                            })))
            : Arbitraries.just(List.of());
    return Combinators.combine(
            Arbitraries.of(callers),
            Arbitraries.of(true, false),
            time,
            via,
            grant,
            department,
            sourceIp,
            contextKeys)
        .as(
            (caller, identity, now, viaService, grantForResource, dept, ip, keys) -> {
              Map<String, List<String>> context = new LinkedHashMap<>();
              context.put("aws:CurrentTime", List.of(now));
              viaService.ifPresent(v -> context.put("kms:ViaService", List.of(v)));
              grantForResource.ifPresent(v -> context.put("kms:GrantIsForAWSResource", List.of(v)));
              dept.ifPresent(v -> context.put("kms:EncryptionContext:Department", List.of(v)));
              ip.ifPresent(v -> context.put("aws:SourceIp", List.of(v)));
              if (!keys.isEmpty()) {
                context.put("kms:EncryptionContextKeys", keys);
              }
              return new Request(caller, identity, action, context);
            });
  }

  /** A value of {@code key} two times in three where the action carries it, else none. */
  private static Arbitrary<Optional<String>> maybe(String action, String key, List<String> values) {
    if (!CATALOG.available(action, key.toLowerCase(Locale.ROOT))) {
      return Arbitraries.just(Optional.empty());
    }
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.just(Optional.<String>empty())),
        Tuple.of(2, Arbitraries.of(values).map(Optional::of)));
  }
}
