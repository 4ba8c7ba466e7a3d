package dev.mrkpolicyguard.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A CloudFormation (or conformance pack, or SSM document) YAML file as a JSON tree, with the
 * short-form intrinsic tags ({@code !Ref X}, {@code !GetAtt A.B}, {@code !Sub ...}) turned into
 * their long form ({@code {"Ref": "X"}}, {@code {"Fn::GetAtt": ["A", "B"]}}), so tests see what
 * CloudFormation sees.
 */
record CfnTemplate(Path path, JsonNode root) {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final List<String> FUNCTIONS =
      List.of(
          "Base64",
          "Cidr",
          "Equals",
          "FindInMap",
          "GetAZs",
          "If",
          "ImportValue",
          "Join",
          "Not",
          "And",
          "Or",
          "Select",
          "Split",
          "Sub",
          "Transform",
          "GetAtt");

  /** The repository root: the nearest directory up from here holding {@code cloudformation/}. */
  static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("cloudformation"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException(
          "no cloudformation/ directory above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  static CfnTemplate load(String relativePath) {
    return load(repoRoot().resolve(relativePath));
  }

  static CfnTemplate load(Path file) {
    try {
      String text = Files.readString(file);
      Object tree = new Yaml(new CfnConstructor()).load(text);
      return new CfnTemplate(file, MAPPER.valueToTree(tree));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  JsonNode resource(String logicalId) {
    JsonNode resource = root.path("Resources").path(logicalId);
    if (resource.isMissingNode()) {
      throw new AssertionError(path.getFileName() + " has no resource " + logicalId);
    }
    return resource;
  }

  JsonNode properties(String logicalId) {
    return resource(logicalId).path("Properties");
  }

  /** Logical IDs of the resources of one type, in template order. */
  List<String> idsOfType(String type) {
    List<String> ids = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("Resources").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (type.equals(entry.getValue().path("Type").asText())) {
        ids.add(entry.getKey());
      }
    }
    return ids;
  }

  static JsonNode ref(String name) {
    return MAPPER.createObjectNode().put("Ref", name);
  }

  static JsonNode getAtt(String logicalId, String attribute) {
    var node = MAPPER.createObjectNode();
    node.putArray("Fn::GetAtt").add(logicalId).add(attribute);
    return node;
  }

  /** SnakeYAML's safe constructor plus CloudFormation's short-form tags. */
  private static final class CfnConstructor extends SafeConstructor {
    CfnConstructor() {
      super(new LoaderOptions());
      yamlConstructors.put(new Tag("!Ref"), new Intrinsic("Ref"));
      yamlConstructors.put(new Tag("!Condition"), new Intrinsic("Condition"));
      for (String function : FUNCTIONS) {
        yamlConstructors.put(new Tag("!" + function), new Intrinsic("Fn::" + function));
      }
    }

    private final class Intrinsic extends AbstractConstruct {
      private final String name;

      Intrinsic(String name) {
        this.name = name;
      }

      @Override
      public Object construct(Node node) {
        Object value;
        if (node instanceof ScalarNode scalar) {
          value = scalar.getValue();
          if (name.equals("Fn::GetAtt")) {
            String text = scalar.getValue();
            int dot = text.indexOf('.');
            value = List.of(text.substring(0, dot), text.substring(dot + 1));
          }
        } else if (node instanceof SequenceNode sequence) {
          value = constructSequence(sequence);
        } else {
          value = constructMapping((MappingNode) node);
        }
        return Map.of(name, value);
      }
    }
  }
}
