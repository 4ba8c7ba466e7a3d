package dev.mrkpolicyguard.audit;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a live capture reads: the Regions, the named profile (or the default credential chain), and
 * an endpoint for every service (a local stand-in) or AWS's own.
 *
 * @param regions the Regions, in the order given, without repeats
 * @param profile the profile of the shared config files, or {@code null} for the default chain
 * @param endpoint the endpoint, or {@code null} for AWS
 */
public record LiveOptions(List<String> regions, String profile, URI endpoint) {
  private static final String REGION = "([a-z]+-){2,3}\\d+";

  public LiveOptions {
    regions = List.copyOf(regions);
    if (regions.isEmpty()) {
      throw new IllegalArgumentException("at least one Region");
    }
  }

  /** The Region of the calls that are not about keys (STS, SSM): the first one given. */
  public String homeRegion() {
    return regions.get(0);
  }

  /**
   * Reads {@code --regions}, {@code --profile} and {@code --endpoint-url} from {@code options}
   * (their values as given on the command line).
   */
  static Loaded<LiveOptions> parse(Map<String, String> options) {
    String list = Objects.requireNonNullElse(options.get("regions"), "");
    List<String> regions = new ArrayList<>();
    for (String part : list.split(",", -1)) {
      String region = part.trim();
      if (!region.matches(REGION)) {
        return Loaded.failed(
            "--regions takes Region names separated by commas (e.g. us-east-1,eu-west-1); '"
                + region
                + "' is not one");
      }
      if (regions.contains(region)) {
        return Loaded.failed("--regions lists " + region + " twice");
      }
      regions.add(region);
    }
    String profile = options.get("profile");
    if (profile != null && profile.isBlank()) {
      return Loaded.failed("--profile needs the name of a profile of ~/.aws/config");
    }
    String url = options.get("endpoint-url");
    URI endpoint = null;
    if (url != null) {
      try {
        endpoint = new URI(url);
      } catch (URISyntaxException e) {
        endpoint = null;
      }
      if (endpoint == null
          || endpoint.getHost() == null
          || !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))) {
        return Loaded.failed(
            "--endpoint-url must be an http(s) URL such as http://127.0.0.1:4566, not '"
                + url
                + "'");
      }
    }
    return Loaded.of(new LiveOptions(regions, profile, endpoint));
  }
}
