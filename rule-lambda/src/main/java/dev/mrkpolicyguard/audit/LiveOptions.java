package dev.mrkpolicyguard.audit;

import dev.mrkpolicyguard.cli.common.Arguments;
import dev.mrkpolicyguard.cli.common.UsageException;
import dev.mrkpolicyguard.core.Region;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a live capture reads: the Regions, the named profile (or the default credential chain), and
 * an endpoint for every service (a local stand-in) or AWS's own.
 *
 * @param regions the Regions, in the order given, without repeats
 * @param profile the profile of the shared config files, or {@code null} for the default chain
 * @param endpoint the endpoint, or {@code null} for AWS
 */
public record LiveOptions(List<Region> regions, String profile, URI endpoint) {
  public LiveOptions {
    regions = List.copyOf(regions);
    if (regions.isEmpty()) {
      throw new IllegalArgumentException("at least one Region");
    }
  }

  /** The Region of the calls that are not about keys (STS, SSM): the first one given. */
  public String homeRegion() {
    return regions.get(0).name();
  }

  /** The Regions' names, in the order given. */
  public List<String> regionNames() {
    return regions.stream().map(Region::name).toList();
  }

  /** Reads {@code --regions}, {@code --profile} and {@code --endpoint-url} from {@code options}. */
  static ReadOrError<LiveOptions> parse(Arguments options) {
    String list = options.get("regions").orElse("");
    List<Region> regions = new ArrayList<>();
    for (String part : list.split(",", -1)) {
      Region region = Region.parse(part.trim()).orElse(null);
      if (region == null) {
        return ReadOrError.failed(
            "--regions takes Region names separated by commas (e.g. us-east-1,eu-west-1); '"
                + part.trim()
                + "' is not one");
      }
      if (regions.contains(region)) {
        return ReadOrError.failed("--regions lists " + region + " twice");
      }
      regions.add(region);
    }
    String profile = options.get("profile").orElse(null);
    if (profile != null && profile.isBlank()) {
      return ReadOrError.failed("--profile needs the name of a profile of ~/.aws/config");
    }
    URI endpoint;
    try {
      endpoint = options.endpointUrl();
    } catch (UsageException e) {
      return ReadOrError.failed(e.getMessage());
    }
    return ReadOrError.of(new LiveOptions(regions, profile, endpoint));
  }
}
