package io.github.c8backup.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * {@code c8backup}: the command line of the orchestrator's HTTP API. A plain main class (no
 * Spring context): JDK HttpClient and Jackson only. Arguments are checked before anything is
 * sent; see {@link #HELP} for verbs, options and exit codes.
 */
public final class C8BackupCli {

  static final int OK = 0;
  /** The orchestrator refused or failed the request, or the awaited backup failed. */
  static final int FAILED = 1;
  /** Wrong arguments; nothing was sent. */
  static final int USAGE = 2;
  /** The orchestrator did not answer. */
  static final int UNREACHABLE = 3;
  /** {@code backup --wait} gave up at {@code --timeout}; the backup may still finish. */
  static final int TIMED_OUT = 4;

  static final String HELP = """
      Usage: c8backup <command> [options]

      Commands:
        list     --cluster X            the backups of a cluster, newest first, per component, restorable or why not
        backup   --cluster X            request a backup (--wait to follow it until it is restorable)
        restore  --cluster X            request a restore from --backup-id N|latest or to --point-in-time T|latest
        status                          the configured clusters and their newest restorable backup

      Options for every command:
        --url URL     the orchestrator (default: $C8BACKUP_URL, else http://localhost:8088)
        --json        print the orchestrator's JSON instead of a table
        --help, -h    this help; 'c8backup <command> --help' for a command's options

      Exit codes:
        0  done
        1  the orchestrator refused or failed the request, or the awaited backup failed
        2  wrong arguments: nothing was sent
        3  the orchestrator did not answer
        4  backup --wait timed out (the backup may still complete)
      """;

  private static final Map<String, String> VERB_HELP = Map.of(
      "list", """
          Usage: c8backup list --cluster X [--limit N] [--json] [--url URL]

          The catalog of a cluster: every backup ID any component still holds, newest first, with each
          component's state and whether a restore from it would pass the preflight's checks (and why not).
          RDBMS clusters (8.9) show Zeebe's backups and the point-in-time window instead.

            --cluster X   a configured cluster (see 'c8backup status')
            --limit N     judge the newest N backup IDs (default 20)
          """,
      "backup", """
          Usage: c8backup backup --cluster X [--backup-id N] [--wait [--timeout PT30M] [--poll-interval PT2S]] [--json] [--url URL]

          Requests a backup (process camunda-cluster-run). Without --backup-id the orchestrator picks the ID.

            --cluster X          a configured cluster
            --backup-id N        a positive integer above every earlier backup ID of the cluster
            --wait               follow the backup in the catalog until it is restorable (exit 0) or failed
                                 (exit 1), printing each component's progress on stderr
            --timeout D          give up waiting after this ISO-8601 duration (default PT30M; exit 4)
            --poll-interval D    how often to ask while waiting (default PT2S)
          """,
      "restore", """
          Usage: c8backup restore --cluster X (--backup-id N|latest | --point-in-time T|latest) [--pre-approved] [--json] [--url URL]

          Requests a restore (process camunda-restore). Its preflight refuses, with nothing changed, a
          backup that is not complete in every component or does not fit the cluster; then the plan waits
          for approval in Tasklist unless --pre-approved.

            --cluster X            a configured cluster
            --backup-id N|latest   Elasticsearch/OpenSearch clusters: a backup ID, or the newest restorable one
            --point-in-time T|latest
                                   RDBMS clusters (8.9): an ISO-8601 instant such as 2026-01-10T14:00:00Z, or the latest restorable moment
            --pre-approved         skip the approval task
          """,
      "status", """
          Usage: c8backup status [--json] [--url URL]

          The configured clusters: the Camunda version each runs (if it answers), where its secondary data
          lives, and its newest restorable backup (RDBMS clusters: the latest restorable moment).
          """);

  private final PrintStream out;
  private final PrintStream err;
  private final ObjectMapper json = new ObjectMapper();

  public C8BackupCli(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(new C8BackupCli(System.out, System.err).run(args, System.getenv()));
  }

  /** Runs one command line and returns its exit code; {@code environment} supplies {@code C8BACKUP_URL}. */
  public int run(String[] args, Map<String, String> environment) {
    Invocation invocation;
    try {
      invocation = Invocation.parse(args, environment);
    } catch (UsageException e) {
      err.println("c8backup: " + e.getMessage());
      err.println("Try 'c8backup " + (e.verb() == null ? "" : e.verb() + " ") + "--help'.");
      return USAGE;
    }
    if (invocation.help()) {
      out.print(invocation.verb() == null ? HELP : VERB_HELP.get(invocation.verb()));
      return OK;
    }
    OrchestratorApi api = new OrchestratorApi(invocation.url());
    try {
      return switch (invocation.verb()) {
        case "list" -> list(api, invocation);
        case "backup" -> backup(api, invocation);
        case "restore" -> restore(api, invocation);
        case "status" -> status(api, invocation);
        default -> throw new IllegalStateException(invocation.verb());
      };
    } catch (OrchestratorApi.Unreachable e) {
      err.println("c8backup: " + e.getMessage());
      return UNREACHABLE;
    } catch (OrchestratorApi.Refused e) {
      err.println("c8backup: the orchestrator refused (HTTP " + e.status() + "): " + e.getMessage());
      return FAILED;
    }
  }

  private int list(OrchestratorApi api, Invocation invocation) {
    JsonNode catalog = api.catalog(invocation.cluster(), invocation.limit());
    if (invocation.json()) {
      printJson(catalog);
    } else {
      CatalogText.catalog(catalog, out);
    }
    return OK;
  }

  private int status(OrchestratorApi api, Invocation invocation) {
    JsonNode clusters = api.clusters();
    if (invocation.json()) {
      printJson(clusters);
    } else {
      CatalogText.clusters(clusters, out);
    }
    return OK;
  }

  private int restore(OrchestratorApi api, Invocation invocation) {
    JsonNode answer = api.requestRestore(invocation.cluster(), invocation.backupId(), invocation.pointInTime(), invocation.preApproved());
    if (invocation.json()) {
      printJson(answer);
    } else {
      out.println(answer.path("message").asText() + " (request " + answer.path("requestId").asText() + ")");
    }
    return OK;
  }

  private int backup(OrchestratorApi api, Invocation invocation) {
    Long requestedId = invocation.backupId() == null ? null : Long.parseLong(invocation.backupId());
    if (!invocation.await()) {
      JsonNode answer = api.requestBackup(invocation.cluster(), requestedId);
      if (invocation.json()) {
        printJson(answer);
      } else {
        out.println(answer.path("message").asText() + " (request " + answer.path("requestId").asText() + ")");
      }
      return OK;
    }
    JsonNode before = api.catalog(invocation.cluster(), null);
    boolean rdbms = "rdbms".equals(before.path("secondaryStorage").asText());
    Set<Long> known = new HashSet<>();
    long newestZeebe = 0;
    for (JsonNode entry : before.path("backups")) {
      known.add(entry.path("backupId").asLong());
      JsonNode zeebe = CatalogText.find(entry.path("components"), "zeebe");
      if (zeebe != null && !"DOES_NOT_EXIST".equals(zeebe.path("state").asText())) {
        newestZeebe = Math.max(newestZeebe, entry.path("backupId").asLong());
      }
    }
    if (requestedId != null && requestedId <= newestZeebe) {
      err.println("c8backup: backup ID " + requestedId + " is not above " + newestZeebe + ", the newest backup Zeebe holds of cluster "
          + invocation.cluster() + "; Zeebe would refuse it. Nothing was sent.");
      return FAILED;
    }
    Instant requestedAt = Instant.now();
    JsonNode answer = api.requestBackup(invocation.cluster(), requestedId);
    err.println(answer.path("message").asText() + " (request " + answer.path("requestId").asText() + ")");
    String requestId = answer.path("requestId").asText(null);
    return rdbms
        ? awaitPointInTime(api, invocation, requestId, requestedAt)
        : awaitBackup(api, invocation, requestId, requestedId, known, Math.max(newestZeebe, known.stream().mapToLong(Long::longValue).max().orElse(0)));
  }

  /**
   * Follows the new backup in the catalog: the requested ID, else the newest ID above every ID
   * seen before the request. A failed run removes its partial backup, so an ID that was seen and
   * then vanished has failed.
   */
  private int awaitBackup(OrchestratorApi api, Invocation invocation, String requestId, Long requestedId, Set<Long> known, long newestBefore) {
    Instant start = Instant.now();
    Instant deadline = start.plus(invocation.timeout());
    Long seen = null;
    String lastProgress = null;
    err.println("Waiting for the backup to appear in the catalog of " + invocation.cluster() + " (timeout " + invocation.timeout() + ")");
    while (true) {
      String ended = runEndedWithoutBackup(api, requestId);
      if (ended != null) {
        err.println("c8backup: " + ended);
        return FAILED;
      }
      JsonNode target = null;
      JsonNode catalog = api.catalog(invocation.cluster(), null);
      for (JsonNode entry : catalog.path("backups")) {
        long id = entry.path("backupId").asLong();
        boolean ours = requestedId != null ? id == requestedId : (seen != null ? id == seen : id > newestBefore && !known.contains(id));
        if (ours && (target == null || id > target.path("backupId").asLong())) {
          target = entry;
        }
      }
      if (target != null) {
        seen = target.path("backupId").asLong();
        String progress = progress(target);
        if (!progress.equals(lastProgress)) {
          err.println("[" + String.format("%4d", Duration.between(start, Instant.now()).toSeconds()) + " s] backup " + seen + ": " + progress);
          lastProgress = progress;
        }
        if (target.path("restorable").asBoolean()) {
          String unfinished = awaitRunEnd(api, invocation, requestId, deadline);
          if (unfinished != null) {
            err.println("c8backup: backup " + seen + " is restorable, but " + unfinished);
            return FAILED;
          }
          if (invocation.json()) {
            printJson(target);
          } else {
            out.println("Backup " + seen + " of cluster " + invocation.cluster() + " is complete and restorable (after "
                + Duration.between(start, Instant.now()).toSeconds() + " s).");
          }
          return OK;
        }
        for (JsonNode component : target.path("components")) {
          if ("FAILED".equals(component.path("state").asText())) {
            err.println("c8backup: backup " + seen + " failed: " + reasons(target)
                + ". The run rolls back; its failureReason is in Operate (process camunda-cluster-run).");
            return FAILED;
          }
        }
      } else if (seen != null) {
        err.println("c8backup: backup " + seen + " is no longer in the catalog: the run failed and removed its partial backup."
            + " Its failureReason is in Operate (process camunda-cluster-run).");
        return FAILED;
      }
      if (!Instant.now().plus(invocation.pollInterval()).isBefore(deadline)) {
        err.println("c8backup: gave up waiting after " + invocation.timeout() + (seen == null
            ? "; no new backup appeared in the catalog (was the request rejected? see process camunda-cluster-run in Operate)"
            : "; backup " + seen + " is still not restorable: " + lastProgress));
        return TIMED_OUT;
      }
      if (!pause(invocation.pollInterval())) {
        return TIMED_OUT;
      }
    }
  }

  /**
   * An RDBMS cluster has no backup ID of ours to follow (Zeebe generates it); the backup has
   * done its job once the restorable window reaches the moment of the request.
   */
  private int awaitPointInTime(OrchestratorApi api, Invocation invocation, String requestId, Instant requestedAt) {
    Instant deadline = Instant.now().plus(invocation.timeout());
    String lastProgress = null;
    while (true) {
      String ended = runEndedWithoutBackup(api, requestId);
      if (ended != null) {
        err.println("c8backup: " + ended);
        return FAILED;
      }
      JsonNode window = api.catalog(invocation.cluster(), null).path("pointInTime");
      String latest = window.hasNonNull("latest") ? window.path("latest").asText() : null;
      String progress = latest == null ? "nothing restorable yet: " + window.path("reason").asText() : "restorable up to " + latest;
      if (!progress.equals(lastProgress)) {
        err.println("cluster " + invocation.cluster() + ": " + progress);
        lastProgress = progress;
      }
      if (latest != null && !Instant.parse(latest).isBefore(requestedAt)) {
        out.println("Cluster " + invocation.cluster() + " can be restored to any moment up to " + latest + ".");
        return OK;
      }
      if (!Instant.now().plus(invocation.pollInterval()).isBefore(deadline)) {
        err.println("c8backup: gave up waiting after " + invocation.timeout() + "; " + lastProgress);
        return TIMED_OUT;
      }
      if (!pause(invocation.pollInterval())) {
        return TIMED_OUT;
      }
    }
  }

  /**
   * The backup is restorable once its components say so, a moment before its run has verified it
   * and ended; until the run has ended, a next request for the cluster would be skipped. So wait for
   * the run's end too, as far as the orchestrator saw it: at most 30 poll intervals when it saw
   * nothing (another replica may have run it). Returns why the run did not complete, or null.
   */
  private String awaitRunEnd(OrchestratorApi api, Invocation invocation, String requestId, Instant deadline) {
    if (requestId == null) {
      return null;
    }
    for (int unknown = 0; unknown < 30 && Instant.now().isBefore(deadline); unknown++) {
      JsonNode outcome = api.requestOutcome(requestId).orElse(null);
      if (outcome != null && "ENDED".equals(outcome.path("state").asText())) {
        String result = outcome.path("outcome").asText("");
        return result.startsWith("COMPLETED") ? null
            : "its run ended " + result + ": " + outcome.path("failureReason").asText("(no reason given)");
      }
      if (!pause(invocation.pollInterval())) {
        return null;
      }
    }
    return null;
  }

  /**
   * Why the request will never produce a backup, as the orchestrator saw it: skipped because the
   * cluster had a run in progress, or its run ended without completing (rejected, deferred,
   * failed); null while it is running or its outcome is unknown here.
   */
  private static String runEndedWithoutBackup(OrchestratorApi api, String requestId) {
    if (requestId == null) {
      return null;
    }
    JsonNode outcome = api.requestOutcome(requestId).orElse(null);
    if (outcome == null) {
      return null;
    }
    String state = outcome.path("state").asText();
    String result = outcome.path("outcome").asText("");
    if ("SKIPPED".equals(state)) {
      return "the request was skipped: " + outcome.path("failureReason").asText() + ". Try again when that run has ended.";
    }
    if ("ENDED".equals(state) && !result.startsWith("COMPLETED")) {
      return "the run ended " + (result.isEmpty() ? "without completing" : result) + ": " + outcome.path("failureReason").asText("(no reason given)")
          + " (instance " + outcome.path("runInstanceKey").asText() + " of camunda-cluster-run in Operate)";
    }
    return null;
  }

  private static String progress(JsonNode entry) {
    StringJoiner line = new StringJoiner(", ");
    entry.path("components").forEach(c -> line.add(c.path("component").asText() + " " + CatalogText.state(c)));
    return line.toString();
  }

  private static String reasons(JsonNode entry) {
    StringJoiner joined = new StringJoiner("; ");
    entry.path("reasons").forEach(r -> joined.add(r.asText()));
    return joined.toString();
  }

  private static boolean pause(Duration interval) {
    try {
      Thread.sleep(interval);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void printJson(JsonNode node) {
    try {
      out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
