package io.github.c8backup.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Plain-text tables of the orchestrator's answers, for people; {@code --json} prints the answers themselves. */
final class CatalogText {

  private CatalogText() {}

  static void catalog(JsonNode catalog, PrintStream out) {
    out.println("Cluster " + catalog.path("cluster").asText() + ": Camunda " + text(catalog.path("version"))
        + ", secondary storage " + text(catalog.path("secondaryStorage")));
    boolean rdbms = "rdbms".equals(catalog.path("secondaryStorage").asText());
    Set<String> components = new LinkedHashSet<>();
    catalog.path("backups").forEach(entry -> entry.path("components").forEach(c -> components.add(c.path("component").asText())));
    List<List<String>> rows = new ArrayList<>();
    List<String> header = new ArrayList<>(List.of("BACKUP ID"));
    if (!rdbms) {
      header.add("RESTORABLE");
    }
    components.forEach(c -> header.add(c.toUpperCase()));
    rows.add(header);
    List<List<String>> reasons = new ArrayList<>();
    for (JsonNode entry : catalog.path("backups")) {
      List<String> row = new ArrayList<>(List.of(entry.path("backupId").asText()));
      if (!rdbms) {
        row.add(entry.path("restorable").asBoolean() ? "yes" : "no");
      }
      for (String component : components) {
        row.add(state(find(entry.path("components"), component)));
      }
      rows.add(row);
      List<String> why = new ArrayList<>();
      entry.path("reasons").forEach(r -> why.add(r.asText()));
      reasons.add(why);
    }
    if (rows.size() == 1) {
      out.println("No backups.");
    } else {
      int[] widths = widths(rows);
      out.println(line(rows.get(0), widths));
      for (int i = 1; i < rows.size(); i++) {
        out.println(line(rows.get(i), widths));
        for (String reason : reasons.get(i - 1)) {
          out.println(" ".repeat(widths[0] + 2) + "- " + reason);
        }
      }
    }
    if (catalog.path("omitted").asInt() > 0) {
      out.println("(" + catalog.path("omitted").asInt() + " older backup IDs not shown; raise --limit)");
    }
    JsonNode window = catalog.path("pointInTime");
    if (!window.isMissingNode()) {
      List<String> spans = new ArrayList<>();
      window.path("restorable").forEach(s -> spans.add(s.path("from").asText() + " .. " + s.path("to").asText()));
      out.println(window.hasNonNull("latest")
          ? "Point in time: restorable " + String.join(", ", spans) + "; latest = " + window.path("latest").asText()
          : "Point in time: nothing is restorable: " + window.path("reason").asText());
    }
    problems(catalog.path("problems"), out);
  }

  static void clusters(JsonNode clusters, PrintStream out) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("CLUSTER", "VERSION", "STORAGE", "NEWEST RESTORABLE"));
    List<String> problems = new ArrayList<>();
    for (JsonNode cluster : clusters) {
      String newest = cluster.hasNonNull("newestRestorableBackup") ? cluster.path("newestRestorableBackup").asText()
          : cluster.hasNonNull("newestRestorablePointInTime") ? cluster.path("newestRestorablePointInTime").asText() : "none";
      rows.add(List.of(cluster.path("cluster").asText(), text(cluster.path("version")), text(cluster.path("secondaryStorage")), newest));
      problems.add(cluster.hasNonNull("problem") ? cluster.path("problem").asText() : null);
    }
    int[] widths = widths(rows);
    out.println(line(rows.get(0), widths));
    for (int i = 1; i < rows.size(); i++) {
      out.println(line(rows.get(i), widths));
      if (problems.get(i - 1) != null) {
        out.println("  - " + problems.get(i - 1));
      }
    }
  }

  /** One component's state for a table cell or a progress line: Zeebe adds how many partitions are done. */
  static String state(JsonNode component) {
    if (component == null) {
      return "-";
    }
    String state = component.path("state").asText();
    JsonNode partitions = component.path("partitions");
    if (partitions.isArray() && !partitions.isEmpty()) {
      int done = 0;
      for (JsonNode p : partitions) {
        done += "COMPLETED".equals(p.path("state").asText()) ? 1 : 0;
      }
      return state + " " + done + "/" + partitions.size();
    }
    return state;
  }

  static JsonNode find(JsonNode components, String name) {
    for (JsonNode c : components) {
      if (name.equals(c.path("component").asText())) {
        return c;
      }
    }
    return null;
  }

  private static void problems(JsonNode problems, PrintStream out) {
    if (problems.isArray() && !problems.isEmpty()) {
      out.println("Problems:");
      problems.forEach(p -> out.println("  - " + p.asText()));
    }
  }

  private static String text(JsonNode node) {
    return node.isMissingNode() || node.isNull() ? "unknown" : node.asText();
  }

  private static int[] widths(List<List<String>> rows) {
    int[] widths = new int[rows.get(0).size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    return widths;
  }

  private static String line(List<String> row, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < row.size(); i++) {
      line.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + widths[i] + "s  ", row.get(i)));
    }
    return line.toString();
  }
}
