package dev.mrkpolicyguard.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every deployment template parses, short-form tags included. */
class TemplateParsingTest {
  static Stream<Path> templates() throws IOException {
    Path root = CfnTemplate.repoRoot();
    try (Stream<Path> cfn = Files.list(root.resolve("cloudformation"));
        Stream<Path> packs = Files.list(root.resolve("conformance-pack"))) {
      return Stream.concat(cfn, packs)
          .filter(p -> p.toString().endsWith(".yaml"))
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest
  @MethodSource("templates")
  void load_everyTemplate_hasResourcesWithTypes(Path template) {
    var resources = CfnTemplate.load(template).root().path("Resources");

    assertTrue(resources.size() > 0, template + " has no resources");
    resources.forEach(r -> assertTrue(r.path("Type").asText().startsWith("AWS::"), r.toString()));
  }

  @Test
  void templates_repository_sixTemplates() throws IOException {
    assertEquals(
        List.of(
            "audit-role.yaml",
            "member-role.yaml",
            "mrk-policy-guard.yaml",
            "organization.yaml",
            "mrk-policy-guard-detection-pack.yaml",
            "mrk-policy-guard-pack.yaml"),
        templates().map(p -> p.getFileName().toString()).toList());
  }

  @Test
  void load_shortFormTags_becomeLongForm() throws IOException {
    Path file = Files.createTempFile("tags", ".yaml");
    Files.writeString(
        file,
        "A: !Ref X\nB: !GetAtt R.Arn\nC: !If [C1, !Sub 'a-${AWS::Region}', !Ref AWS::NoValue]\n");

    var root = CfnTemplate.load(file).root();

    assertEquals(
        new ObjectMapper()
            .readTree(
                "{\"A\":{\"Ref\":\"X\"},\"B\":{\"Fn::GetAtt\":[\"R\",\"Arn\"]},"
                    + "\"C\":{\"Fn::If\":[\"C1\",{\"Fn::Sub\":\"a-${AWS::Region}\"},"
                    + "{\"Ref\":\"AWS::NoValue\"}]}}"),
        root);
  }
}
