package dev.mrkpolicyguard.startup;

/**
 * How many idle connections per host the JDK's HTTP client keeps alive. The URL-connection SDK
 * client runs on {@code HttpURLConnection}, whose keep-alive cache holds {@code
 * http.maxConnections} idle connections per destination, 5 by default: with 12 rule workers on one
 * KMS endpoint, 7 connections were closed after every call and opened again (a TLS handshake each
 * on AWS). The cache reads the property once, when the first connection is cached, so it is set
 * before any client is built; a value given on the command line ({@code -Dhttp.maxConnections})
 * wins.
 */
public final class HttpKeepAlive {
  /**
   * Idle connections kept per host: the most calls in flight to one endpoint, 32 (the audit's 4
   * accounts at once, 8 keys each, on one Region's KMS endpoint; the rule's 12 workers fit).
   */
  public static final int CONNECTIONS_PER_HOST = 32;

  static final String PROPERTY = "http.maxConnections";

  private HttpKeepAlive() {}

  /** Sets {@code http.maxConnections} to {@link #CONNECTIONS_PER_HOST} unless already set. */
  public static void ensure() {
    if (System.getProperty(PROPERTY) == null) {
      System.setProperty(PROPERTY, Integer.toString(CONNECTIONS_PER_HOST));
    }
  }
}
