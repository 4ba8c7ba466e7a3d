package dev.mrkpolicyguard.engine.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a request to one key of a multi-Region pair corresponds to a request to the other: the same
 * caller, action and context, with Region-bearing values moved between the two keys' Regions (the
 * two Regions trade places; values naming any third Region stay). Region-bearing values are the
 * Region field of ARNs, service endpoints {@code <service>.<region>.amazonaws.com[.cn]} (as in
 * {@code kms:ViaService}) and Regional service principals. Keys that are facts of the key ({@code
 * aws:RequestedRegion}, {@code kms:MultiRegionKeyType}) are derived on each key, not moved.
 */
public final class Correspondence {
  private static final Pattern ARN =
      Pattern.compile("(arn:[^:]*:[^:]*:)([^:]*)(:.*)", Pattern.DOTALL);
  private static final Pattern ENDPOINT =
      Pattern.compile("([a-z0-9.-]+\\.)([a-z]{2}(?:-[a-z]+)+-\\d+)(\\.amazonaws\\.com(?:\\.cn)?)");

  private final String from;
  private final String to;

  /** Moves requests between keys in {@code from} and {@code to} (either way). */
  public Correspondence(String from, String to) {
    this.from = Objects.requireNonNull(from, "from");
    this.to = Objects.requireNonNull(to, "to");
  }

  /** The request corresponding to {@code request} on the other key. */
  public Request move(Request request) {
    Caller caller = request.caller();
    if (caller instanceof Caller.Service service) {
      caller = new Caller.Service(value(service.name()));
    }
    Map<String, List<String>> context = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : request.context().entrySet()) {
      List<String> values = new ArrayList<>();
      for (String v : e.getValue()) {
        values.add(DerivedKeys.isDerived(e.getKey()) ? v : value(v));
      }
      context.put(e.getKey(), values);
    }
    return new Request(caller, request.identityPolicyAllows(), request.action(), context);
  }

  /** One value moved: an ARN's Region field or an endpoint's Region, if it names either Region. */
  public String value(String value) {
    Matcher arn = ARN.matcher(value);
    if (arn.matches()) {
      return arn.group(1) + swap(arn.group(2)) + arn.group(3);
    }
    Matcher endpoint = ENDPOINT.matcher(value);
    if (endpoint.matches()) {
      return endpoint.group(1) + swap(endpoint.group(2)) + endpoint.group(3);
    }
    return value;
  }

  private String swap(String region) {
    return region.equals(from) ? to : region.equals(to) ? from : region;
  }
}
