package dev.mrkpolicyguard.engine.policy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parsing of typed condition values: dates, numbers and IP ranges, as the IAM condition operators
 * read them (IAM User Guide, "Condition operators": Date, Numeric, IP address).
 */
public final class ConditionValues {
  private static final Pattern EPOCH = Pattern.compile("-?\\d+(\\.\\d+)?");
  private static final Pattern IPV4 =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?:/(\\d{1,2}))?");
  private static final Pattern IPV6 = Pattern.compile("([0-9A-Fa-f:.]+)(?:/(\\d{1,3}))?");

  private ConditionValues() {}

  /** An inclusive range of addresses of one family. */
  public record IpRange(boolean v6, BigInteger first, BigInteger last) {
    /** Whether {@code address} lies in this range. */
    public boolean contains(IpRange address) {
      return address.v6 == v6
          && address.first.compareTo(first) >= 0
          && address.last.compareTo(last) <= 0;
    }
  }

  /** Parses a number as IAM's numeric operators do. */
  public static Optional<BigDecimal> parseNumber(String value) {
    try {
      BigDecimal n = new BigDecimal(value.trim());
      // No request value comes near: beyond this the number is a mistake, not a bound.
      if (n.signum() != 0 && (n.precision() - n.scale() > MAX_DIGITS || n.scale() > MAX_DIGITS)) {
        return Optional.empty();
      }
      return Optional.of(n);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The most integer and fractional digits a numeric condition value may have. */
  public static final int MAX_DIGITS = 38;

  /** Epoch seconds of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, the dates a value may name. */
  private static final BigDecimal FIRST_SECOND = BigDecimal.valueOf(-62135596800L);

  private static final BigDecimal LAST_SECOND = BigDecimal.valueOf(253402300799L);

  /** Parses an ISO 8601 date or date-time, or epoch seconds. */
  public static Optional<Instant> parseDate(String value) {
    String text = value.trim();
    if (EPOCH.matcher(text).matches()) {
      BigDecimal seconds = new BigDecimal(text);
      if (seconds.compareTo(FIRST_SECOND) < 0 || seconds.compareTo(LAST_SECOND) > 0) {
        return Optional.empty();
      }
      return Optional.of(
          Instant.ofEpochSecond(
              seconds.longValue(), seconds.remainder(BigDecimal.ONE).movePointRight(9).intValue()));
    }
    try {
      return Optional.of(OffsetDateTime.parse(text).toInstant());
    } catch (DateTimeParseException e) {
      // try the next form
    }
    try {
      return Optional.of(LocalDateTime.parse(text).toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException e) {
      // try the next form
    }
    try {
      return Optional.of(LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** Parses an IPv4 or IPv6 address or CIDR block into the range of addresses it covers. */
  public static Optional<IpRange> parseCidr(String value) {
    String text = value.trim();
    var v4 = IPV4.matcher(text);
    if (v4.matches()) {
      long address = 0;
      for (int i = 1; i <= 4; i++) {
        int octet = Integer.parseInt(v4.group(i));
        if (octet > 255) {
          return Optional.empty();
        }
        address = (address << 8) | octet;
      }
      int bits = v4.group(5) == null ? 32 : Integer.parseInt(v4.group(5));
      if (bits > 32) {
        return Optional.empty();
      }
      return Optional.of(range(false, BigInteger.valueOf(address), bits, 32));
    }
    var v6 = IPV6.matcher(text);
    if (v6.matches() && text.indexOf(':') >= 0) {
      Optional<BigInteger> address = ipv6(v6.group(1));
      int bits = v6.group(2) == null ? 128 : Integer.parseInt(v6.group(2));
      if (address.isEmpty() || bits > 128) {
        return Optional.empty();
      }
      return Optional.of(range(true, address.get(), bits, 128));
    }
    return Optional.empty();
  }

  /** Formats an address of a range back to text. */
  public static String format(boolean v6, BigInteger address) {
    if (!v6) {
      long a = address.longValue();
      return ((a >> 24) & 255) + "." + ((a >> 16) & 255) + "." + ((a >> 8) & 255) + "." + (a & 255);
    }
    StringBuilder out = new StringBuilder();
    for (int i = 7; i >= 0; i--) {
      out.append(Integer.toHexString(address.shiftRight(i * 16).intValue() & 0xFFFF));
      if (i > 0) {
        out.append(':');
      }
    }
    return out.toString();
  }

  private static IpRange range(boolean v6, BigInteger address, int bits, int width) {
    BigInteger hostMask = BigInteger.ONE.shiftLeft(width - bits).subtract(BigInteger.ONE);
    BigInteger first = address.andNot(hostMask);
    return new IpRange(v6, first, first.or(hostMask));
  }

  private static Optional<BigInteger> ipv6(String text) {
    int dot = text.indexOf('.');
    if (dot >= 0) {
      // An IPv4-mapped or -compatible address: the last 32 bits written as a dotted quad.
      int colon = text.lastIndexOf(':');
      var v4 = IPV4.matcher(text.substring(colon + 1));
      if (colon < 0 || !v4.matches() || v4.group(5) != null) {
        return Optional.empty();
      }
      long address = 0;
      for (int i = 1; i <= 4; i++) {
        int octet = Integer.parseInt(v4.group(i));
        if (octet > 255) {
          return Optional.empty();
        }
        address = (address << 8) | octet;
      }
      text =
          text.substring(0, colon + 1)
              + Long.toHexString(address >>> 16)
              + ":"
              + Long.toHexString(address & 0xffff);
    }
    String[] halves = text.split("::", -1);
    if (halves.length > 2) {
      return Optional.empty();
    }
    int[] head = groups(halves[0]);
    int[] tail = halves.length == 2 ? groups(halves[1]) : new int[0];
    if (head == null || tail == null) {
      return Optional.empty();
    }
    int missing = 8 - head.length - tail.length;
    if ((halves.length == 1 && missing != 0) || (halves.length == 2 && missing < 1)) {
      return Optional.empty();
    }
    BigInteger value = BigInteger.ZERO;
    for (int g : head) {
      value = value.shiftLeft(16).or(BigInteger.valueOf(g));
    }
    value = value.shiftLeft(16 * (halves.length == 2 ? missing : 0));
    for (int g : tail) {
      value = value.shiftLeft(16).or(BigInteger.valueOf(g));
    }
    return Optional.of(value);
  }

  private static int[] groups(String part) {
    if (part.isEmpty()) {
      return new int[0];
    }
    String[] pieces = part.split(":", -1);
    int[] out = new int[pieces.length];
    for (int i = 0; i < pieces.length; i++) {
      if (pieces[i].isEmpty() || pieces[i].length() > 4) {
        return null;
      }
      try {
        out[i] = Integer.parseInt(pieces[i], 16);
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return out;
  }
}
