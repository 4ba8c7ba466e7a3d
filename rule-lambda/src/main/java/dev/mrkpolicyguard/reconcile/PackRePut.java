package dev.mrkpolicyguard.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * The AWS CLI command that puts the organization pack again with the same definition: Config then
 * retries the member accounts where it failed ("When management account calls
 * PutOrganizationConformancePack action for the second time, conformance pack status is updated in
 * the member account", Config API OrganizationConformancePackDetailedStatus). Every value is quoted
 * for a POSIX shell; input parameters go as JSON, so that commas and spaces in values survive.
 */
public final class PackRePut {
  /** Written where the template's S3 URI is not known (the stack's PackTemplateS3Uri is empty). */
  public static final String TEMPLATE_PLACEHOLDER = "<PackTemplateS3Uri of the organization stack>";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private PackRePut() {}

  public static String command(
      String region, OrganizationPack.Definition pack, String templateS3UriOrEmpty) {
    StringBuilder out =
        new StringBuilder("aws configservice put-organization-conformance-pack --region ")
            .append(quote(region))
            .append(" --organization-conformance-pack-name ")
            .append(quote(pack.name()))
            .append(" --template-s3-uri ")
            .append(
                templateS3UriOrEmpty.isEmpty()
                    ? TEMPLATE_PLACEHOLDER
                    : quote(templateS3UriOrEmpty));
    pack.deliveryBucket().ifPresent(b -> out.append(" --delivery-s3-bucket ").append(quote(b)));
    if (!pack.excludedAccounts().isEmpty()) {
      out.append(" --excluded-accounts");
      pack.excludedAccounts().forEach(a -> out.append(' ').append(quote(a)));
    }
    if (!pack.inputParameters().isEmpty()) {
      ArrayNode parameters = MAPPER.createArrayNode();
      for (Map.Entry<String, String> p : new TreeMap<>(pack.inputParameters()).entrySet()) {
        parameters.addObject().put("ParameterName", p.getKey()).put("ParameterValue", p.getValue());
      }
      out.append(" --conformance-pack-input-parameters ").append(quote(parameters.toString()));
    }
    return out.toString();
  }

  /** {@code value} in single quotes, a single quote in it as {@code '\''}. */
  static String quote(String value) {
    if (value.matches("[A-Za-z0-9_./:@=-]+")) {
      return value;
    }
    return "'" + value.replace("'", "'\\''") + "'";
  }
}
