package dev.mrkpolicyguard.explain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.engine.eval.Caller;
import dev.mrkpolicyguard.engine.eval.Request;
import dev.mrkpolicyguard.explain.Explanation.Branch;
import dev.mrkpolicyguard.explain.Explanation.StatementNote;
import dev.mrkpolicyguard.explain.Explanation.Subject;
import dev.mrkpolicyguard.report.SafeJson;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Explanations as JSON (docs/explain.md): {@code results}, one object per record with its {@code
 * verdict} and the evidence, and a {@code summary}. Text outside ASCII is written as {@code \}
 * {@code uXXXX} escapes, so no record can reach a terminal raw.
 */
public final class ExplanationJson {
  private static final ObjectMapper MAPPER =
      SafeJson.configure(
          JsonMapper.builder()
              .enable(SerializationFeature.INDENT_OUTPUT)
              .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
              .build());

  private ExplanationJson() {}

  /** The JSON document of {@code report}. */
  public static String render(ExplainReport report) {
    ObjectNode root = MAPPER.createObjectNode();
    ArrayNode results = root.putArray("results");
    for (Explanation e : report.results()) {
      write(results.addObject(), e);
    }
    ObjectNode summary = root.putObject("summary");
    summary.put("records", report.results().size());
    summary.put("explained", report.results().size() - report.unexplained().size());
    summary.put("unexplained", report.unexplained().size());
    summary.put("otherServices", report.otherServices());
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree always serialises", e);
    }
  }

  private static void write(ObjectNode out, Explanation e) {
    subject(out, e.record());
    if (e instanceof Explanation.Unexplained u) {
      out.putNull("verdict");
      out.put("problem", u.problem());
    } else if (e instanceof Explanation.NotApplicable n) {
      out.put("verdict", n.verdict().name());
      out.put("keyArn", n.keyArn());
      out.put("reason", n.reason());
    } else {
      judged(out, (Explanation.Judged) e);
    }
  }

  private static void subject(ObjectNode out, Subject s) {
    out.put("record", s.where());
    out.put("eventId", s.eventId());
    out.put("eventTime", s.eventTime());
    out.put("eventName", s.eventName());
    out.put("errorCode", s.errorCode());
    out.put("errorMessage", s.errorMessage());
  }

  private static void judged(ObjectNode out, Explanation.Judged j) {
    out.put("verdict", j.verdict().name());
    out.put("conditional", j.conditional());
    out.put("replicaArn", j.replicaArn());
    out.put("primaryArn", j.primaryArn());
    RebuiltRequest r = j.request();
    out.put("action", r.action());
    out.put("caller", r.caller() == null ? null : r.caller().text());
    out.put("callerAccount", r.callerAccount());
    if (r.identityPolicyAllows() == null) {
      out.putNull("identityPolicyAllows");
    } else {
      out.put("identityPolicyAllows", r.identityPolicyAllows());
    }
    ObjectNode context = out.putObject("context");
    r.context().forEach((k, v) -> values(context, k, v));
    ArrayNode notes = out.putArray("fromRecord");
    r.notes().forEach(notes::add);
    ArrayNode unknowns = out.putArray("unknown");
    j.unknowns().forEach(unknowns::add);
    ArrayNode points = out.putArray("pointsAt");
    j.pointsAt().forEach(k -> points.add(k.name()));
    if (j.message() != null && j.message().policyArn() != null) {
      out.put("denyingPolicyArn", j.message().policyArn());
    }
    ArrayNode cases = out.putArray("cases");
    for (Branch b : j.branches()) {
      branch(cases.addObject(), b);
    }
    if (j.branches().stream().anyMatch(b -> b.verdict() == Verdict.DRIFT_EXPLAINS_DENIAL)) {
      out.put("remediate", ExplanationText.REMEDIATE + j.replicaArn());
    }
  }

  private static void branch(ObjectNode out, Branch b) {
    out.put("verdict", b.verdict().name());
    ArrayNode when = out.putArray("if");
    for (List<Assumption> conjunction : b.when()) {
      ArrayNode all = when.addArray();
      conjunction.forEach(a -> assumption(all.addObject(), a));
    }
    side(
        out.putObject("replica"),
        b.example().replica().name(),
        b.replica(),
        b.example().replicaRequest());
    side(
        out.putObject("primary"),
        b.example().primary().name(),
        b.primary(),
        b.example().primaryRequest());
  }

  private static void side(ObjectNode out, String decision, List<StatementNote> notes, Request r) {
    out.put("decision", decision);
    ObjectNode request = out.putObject("request");
    request.put("principal", r.caller().text());
    request.put(
        "identityPolicyAllows", r.caller() instanceof Caller.Iam && r.identityPolicyAllows());
    request.put("action", r.action());
    ObjectNode context = request.putObject("context");
    for (Map.Entry<String, List<String>> e : new TreeMap<>(r.context()).entrySet()) {
      values(context, e.getKey(), e.getValue());
    }
    ArrayNode statements = out.putArray("statements");
    for (StatementNote n : notes) {
      ObjectNode s = statements.addObject();
      s.put("statement", n.statement());
      s.put("effect", n.role().name());
      if (n.detail() != null) {
        s.put("detail", n.detail());
      }
    }
  }

  private static void assumption(ObjectNode out, Assumption a) {
    out.put("fact", a.fact());
    if (a instanceof Assumption.IdentityPolicy i) {
      out.put("value", i.allows());
    } else if (a instanceof Assumption.CallerIs c) {
      if (c.named()) {
        out.put("value", c.caller().text());
      } else {
        out.put("anyOtherPrincipalOf", ((Caller.Iam) c.caller()).accountId());
      }
    } else if (a instanceof Assumption.KeyAbsent) {
      out.put("absent", true);
    } else if (a instanceof Assumption.KeyValue v) {
      out.put("value", v.value());
    } else {
      ArrayNode none = out.putArray("noneOf");
      ((Assumption.KeyOther) a).named().forEach(none::add);
    }
  }

  private static void values(ObjectNode out, String key, List<String> values) {
    if (values.size() == 1) {
      out.put(key, values.get(0));
    } else {
      ArrayNode array = out.putArray(key);
      values.forEach(array::add);
    }
  }
}
