package dev.mrkpolicyguard.iac;

import java.util.Map;
import java.util.Objects;

/** Tells a CloudFormation template from a Terraform plan and reads it with the right reader. */
public final class IacInputs {
  private final CfnTemplateReader templates;
  private final TerraformPlanReader plans;

  /**
   * @param parameters {@code --parameter} values for templates
   * @param defaultRegion {@code --region}, or null
   * @param accountId {@code --account}, or null
   */
  public IacInputs(Map<String, String> parameters, String defaultRegion, String accountId) {
    Objects.requireNonNull(parameters, "parameters");
    this.templates = new CfnTemplateReader(parameters, accountId);
    this.plans = new TerraformPlanReader(defaultRegion, accountId);
  }

  /**
   * Reads {@code text} from {@code file}; {@code region} is where a template will be deployed
   * ({@code FILE@REGION} or {@code --region}), or null.
   */
  public InputRead read(String file, String text, String region) {
    TemplateTree.Parsed parsed = TemplateTree.parse(text);
    if (parsed instanceof TemplateTree.Parsed.Invalid invalid) {
      return new InputRead.Invalid(file + " is not YAML or JSON: " + invalid.problem());
    }
    TemplateTree tree = ((TemplateTree.Parsed.Tree) parsed).tree();
    if (TerraformPlanReader.isPlan(tree.root())) {
      return plans.read(file, tree);
    }
    if (CfnTemplateReader.isTemplate(tree.root())) {
      return templates.read(file, tree, region);
    }
    return new InputRead.Invalid(
        file
            + " is neither a CloudFormation template (no Resources) nor a Terraform plan"
            + " (terraform show -json PLAN: format_version, resource_changes)");
  }
}
