package dev.mrkpolicyguard.iac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** YAML short forms become CloudFormation's long forms; lines are kept. */
class TemplateTreeTest {
  private static JsonNode root(String text) {
    return tree(text).root();
  }

  private static TemplateTree tree(String text) {
    return ((TemplateTree.Parsed.Tree) TemplateTree.parse(text)).tree();
  }

  @Test
  void parse_ref_isRefObject() {
    assertEquals("{\"a\":{\"Ref\":\"P\"}}", root("a: !Ref P\n").toString());
  }

  @Test
  void parse_getAttScalar_splitsAtTheFirstDot() {
    assertEquals(
        "{\"a\":{\"Fn::GetAtt\":[\"Role\",\"Arn.X\"]}}",
        root("a: !GetAtt Role.Arn.X\n").toString());
  }

  @Test
  void parse_subWithVariables_isFnSubOfTheSequence() {
    assertEquals(
        "{\"a\":{\"Fn::Sub\":[\"${x}\",{\"x\":{\"Ref\":\"P\"}}]}}",
        root("a: !Sub\n  - ${x}\n  - x: !Ref P\n").toString());
  }

  @Test
  void parse_yamlStandardTag_isKeptAsAValue() {
    assertEquals("{\"a\":\"123\"}", root("a: !!str 123\n").toString());
  }

  @Test
  void parse_nestedResource_recordsItsLine() {
    TemplateTree tree = tree("Resources:\n  # a key\n  Key:\n    Type: AWS::KMS::Key\n");

    assertEquals(4, tree.line("/Resources/Key"));
  }

  @Test
  void parse_json_recordsLinesToo() {
    TemplateTree tree = tree("{\n \"Resources\": {\n  \"Key\": {\"Type\": \"x\"}\n }\n}\n");

    assertEquals(3, tree.line("/Resources/Key"));
  }

  @Test
  void parse_unbalancedYaml_isInvalid() {
    assertInstanceOf(TemplateTree.Parsed.Invalid.class, TemplateTree.parse("a: [1, 2\n"));
  }
}
