package dev.mrkpolicyguard.iac;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which intrinsic functions resolve before deployment, and to what. */
class IntrinsicsTest {
  private static final String TEMPLATE =
      """
      Parameters:
        Role: {Type: String, Default: App}
        NoDefault: {Type: String}
        Accounts: {Type: CommaDelimitedList, Default: "111122223333,444455556666"}
        FromSsm: {Type: "AWS::SSM::Parameter::Value<String>", Default: /key/role}
        Stage: {Type: String, Default: prod}
      Mappings:
        Roles: {prod: {name: ProdRole}}
      Conditions:
        IsProd: !Equals [!Ref Stage, prod]
        NotProd: !Not [!Condition IsProd]
      Resources:
        Bucket: {Type: AWS::S3::Bucket}
      """;

  private static String resolve(String yaml, Map<String, String> parameters) {
    TemplateTree template = ((TemplateTree.Parsed.Tree) TemplateTree.parse(TEMPLATE)).tree();
    TemplateTree value = ((TemplateTree.Parsed.Tree) TemplateTree.parse("v: " + yaml)).tree();
    Intrinsics intrinsics =
        new Intrinsics(template.root(), "eu-west-1", "111122223333", parameters);
    Intrinsics.Resolved resolved = intrinsics.resolve(value.root().get("v"));
    return resolved instanceof Intrinsics.Resolved.Value v
        ? v.node().toString()
        : "unknown: " + ((Intrinsics.Resolved.Unknown) resolved).reason();
  }

  private static String resolve(String yaml) {
    return resolve(yaml, Map.of());
  }

  @Test
  void resolve_refToParameter_isItsDefault() {
    assertEquals("\"App\"", resolve("!Ref Role"));
  }

  @Test
  void resolve_refToParameterGivenOnTheCommandLine_isThatValue() {
    assertEquals("\"Ops\"", resolve("!Ref Role", Map.of("Role", "Ops")));
  }

  @Test
  void resolve_refToParameterWithoutDefault_isUnknownAndSaysHow() {
    assertEquals(
        "unknown: parameter NoDefault has no Default; give it with --parameter NoDefault=VALUE",
        resolve("!Ref NoDefault"));
  }

  @Test
  void resolve_subWithPseudoParameters_fillsThemIn() {
    assertEquals(
        "\"arn:aws:iam::111122223333:role/App in eu-west-1\"",
        resolve(
            "!Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${Role} in ${AWS::Region}"));
  }

  @Test
  void resolve_subEscapedVariable_isLiteral() {
    assertEquals("\"${aws:username}\"", resolve("!Sub ${!aws:username}"));
  }

  @Test
  void resolve_joinOverListParameter_joinsItsItems() {
    assertEquals("\"111122223333|444455556666\"", resolve("!Join ['|', !Ref Accounts]"));
  }

  @Test
  void resolve_noValueInAList_removesTheItem() {
    assertEquals("[\"a\"]", resolve("[a, !Ref AWS::NoValue]"));
  }

  @Test
  void resolve_ifOverConditions_takesTheBranchThatHolds() {
    assertEquals("\"second\"", resolve("!If [NotProd, first, second]"));
  }

  @Test
  void resolve_findInMap_looksUpMappings() {
    assertEquals("\"ProdRole\"", resolve("!FindInMap [Roles, !Ref Stage, name]"));
  }

  @Test
  void resolve_refToResource_isUnknown() {
    assertEquals(
        "unknown: Ref Bucket is a resource's physical ID, known only once it is created",
        resolve("!Ref Bucket"));
  }

  @Test
  void resolve_ssmParameterType_isUnknownUnlessGiven() {
    assertEquals(
        "unknown: parameter FromSsm is read from SSM at deployment; give its value with"
            + " --parameter FromSsm=VALUE",
        resolve("!Ref FromSsm"));
  }

  @Test
  void resolve_dynamicReference_isUnknown() {
    assertEquals(
        "unknown: the dynamic reference {{resolve:ssm:/role}} is resolved only at deployment",
        resolve("'{{resolve:ssm:/role}}'"));
  }

  @Test
  void resolve_importValue_isUnknown() {
    assertEquals(
        "unknown: Fn::ImportValue KeyArn has no value before deployment",
        resolve("!ImportValue KeyArn"));
  }
}
