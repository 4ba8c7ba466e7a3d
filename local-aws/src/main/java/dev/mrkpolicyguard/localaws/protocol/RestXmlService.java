package dev.mrkpolicyguard.localaws.protocol;

/** A service spoken over REST-XML, where method and path select the operation (S3). */
public interface RestXmlService {

  /** Short service name used in call counts and fault rules, e.g. {@code s3}. */
  String name();

  /** The operation the request addresses, e.g. {@code GetObject}. */
  String operation(RawRequest request);

  /** The resource the request names, matched by keyed fault rules; may be null. */
  String resource(RawRequest request);

  Reply handle(String operation, RawRequest request, RequestContext context);

  /** Renders an error in the service's XML error form. */
  Reply error(ApiException error, RawRequest request, String requestId);
}
