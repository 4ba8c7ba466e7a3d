package dev.mrkpolicyguard.localaws.kms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.localaws.protocol.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a KMS list: items plus the opaque marker of the next item, in the {@code
 * Truncated}/{@code NextMarker} style of KMS list operations.
 */
record Page<T>(List<T> items, String nextMarker) {

  Page {
    items = List.copyOf(items);
  }

  static <T> Page<T> of(List<T> all, Function<T, String> id, String marker, int limit) {
    int start = 0;
    if (marker != null) {
      String startId = decode(marker);
      start = indexOf(all, id, startId);
    }
    int end = Math.min(all.size(), start + limit);
    String next = end < all.size() ? encode(id.apply(all.get(end))) : null;
    return new Page<>(all.subList(start, end), next);
  }

  ObjectNode writeMarker(ObjectNode out) {
    out.put("Truncated", nextMarker != null);
    if (nextMarker != null) {
      out.put("NextMarker", nextMarker);
    }
    return out;
  }

  private static <T> int indexOf(List<T> all, Function<T, String> id, String startId) {
    for (int i = 0; i < all.size(); i++) {
      if (id.apply(all.get(i)).equals(startId)) {
        return i;
      }
    }
    throw invalidMarker();
  }

  private static String encode(String id) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(id.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String marker) {
    try {
      return new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalidMarker();
    }
  }

  private static ApiException invalidMarker() {
    return ApiException.client("InvalidMarkerException", "The marker is not valid for this list.");
  }
}
