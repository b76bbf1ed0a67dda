package io.github.c8backup.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One parsed command line. Options are {@code --name value} or {@code --name=value} and may stand
 * before or after the verb; every value is checked here, so a malformed one never reaches the
 * orchestrator.
 *
 * @param verb list, backup, restore, status, or null when only help was asked for
 * @param backupId a positive integer, "latest" (restore only), or null
 * @param pointInTime an ISO-8601 instant or "latest", or null
 */
record Invocation(
    String verb,
    boolean help,
    URI url,
    boolean json,
    String cluster,
    Integer limit,
    String backupId,
    String pointInTime,
    boolean await,
    Duration timeout,
    Duration pollInterval,
    boolean preApproved) {

  static final URI DEFAULT_URL = URI.create("http://localhost:8088");
  static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);
  static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);
  static final List<String> VERBS = List.of("list", "backup", "restore", "status");

  private static final Set<String> FLAGS = Set.of("--help", "--json", "--wait", "--pre-approved");
  private static final Set<String> GLOBAL = Set.of("--help", "--url", "--json");
  private static final Map<String, Set<String>> OPTIONS = Map.of(
      "list", Set.of("--cluster", "--limit"),
      "backup", Set.of("--cluster", "--backup-id", "--wait", "--timeout", "--poll-interval"),
      "restore", Set.of("--cluster", "--backup-id", "--point-in-time", "--pre-approved"),
      "status", Set.of());

  /**
   * @param environment for {@code C8BACKUP_URL}
   * @throws UsageException for anything this tool would not know how to send
   */
  static Invocation parse(String[] args, Map<String, String> environment) {
    String verb = null;
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("-h")) {
        arg = "--help";
      }
      if (!arg.startsWith("--")) {
        if (verb == null && arg.equals("help")) {
          options.put("--help", "true");
          continue;
        }
        if (verb == null) {
          if (!VERBS.contains(arg)) {
            throw new UsageException(null, "unknown command '" + arg + "'; the commands are " + String.join(", ", VERBS));
          }
          verb = arg;
          continue;
        }
        throw new UsageException(verb, "unexpected argument '" + arg + "'");
      }
      String name = arg;
      String value = null;
      int equals = arg.indexOf('=');
      if (equals > 0) {
        name = arg.substring(0, equals);
        value = arg.substring(equals + 1);
      }
      if (FLAGS.contains(name)) {
        if (value != null) {
          throw new UsageException(verb, name + " takes no value");
        }
        value = "true";
      } else if (value == null) {
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
          throw new UsageException(verb, name + " needs a value");
        }
        value = args[++i];
      }
      if (options.put(name, value) != null && !name.equals("--help")) {
        throw new UsageException(verb, name + " is given twice");
      }
    }
    boolean help = options.containsKey("--help");
    for (String name : options.keySet()) {
      boolean known = GLOBAL.contains(name) || (verb != null && OPTIONS.get(verb).contains(name));
      if (!known && !help) {
        boolean elsewhere = OPTIONS.values().stream().anyMatch(set -> set.contains(name));
        throw new UsageException(verb, "unknown option " + name
            + (verb == null ? (elsewhere ? " before a command; give the command first" : "") : " for '" + verb + "'"));
      }
    }
    URI url = url(verb, options.get("--url"), environment.get("C8BACKUP_URL"));
    if (help) {
      return new Invocation(verb, true, url, false, null, null, null, null, false, null, null, false);
    }
    if (verb == null) {
      throw new UsageException(null, "no command given");
    }
    String cluster = options.get("--cluster");
    if (!verb.equals("status")) {
      if (cluster == null) {
        throw new UsageException(verb, "--cluster is required");
      }
      if (!cluster.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
        throw new UsageException(verb, "--cluster '" + cluster + "' is not a cluster name (letters, digits, '.', '_', '-')");
      }
    }
    Integer limit = options.containsKey("--limit") ? (int) positive(verb, "--limit", options.get("--limit"), Integer.MAX_VALUE) : null;
    String backupId = options.get("--backup-id");
    String pointInTime = options.get("--point-in-time");
    if (verb.equals("backup") && backupId != null) {
      positive(verb, "--backup-id", backupId, Long.MAX_VALUE);
    }
    if (verb.equals("restore")) {
      if ((backupId == null) == (pointInTime == null)) {
        throw new UsageException(verb, "give exactly one of --backup-id (Elasticsearch/OpenSearch clusters) or --point-in-time (RDBMS clusters)");
      }
      if (backupId != null && !backupId.equals("latest")) {
        positive(verb, "--backup-id", backupId, Long.MAX_VALUE);
      }
      if (pointInTime != null && !pointInTime.equals("latest")) {
        pointInTime = instant(verb, pointInTime).toString();
      }
    }
    boolean await = options.containsKey("--wait");
    if (!await && (options.containsKey("--timeout") || options.containsKey("--poll-interval"))) {
      throw new UsageException(verb, (options.containsKey("--timeout") ? "--timeout" : "--poll-interval") + " applies only with --wait");
    }
    Duration timeout = duration(verb, "--timeout", options.getOrDefault("--timeout", DEFAULT_TIMEOUT.toString()));
    Duration poll = duration(verb, "--poll-interval", options.getOrDefault("--poll-interval", DEFAULT_POLL_INTERVAL.toString()));
    return new Invocation(verb, false, url, options.containsKey("--json"), cluster, limit, backupId, pointInTime,
        await, timeout, poll, options.containsKey("--pre-approved"));
  }

  private static URI url(String verb, String option, String environment) {
    String text = option != null ? option : environment;
    if (text == null || text.isBlank()) {
      return DEFAULT_URL;
    }
    String source = option != null ? "--url" : "C8BACKUP_URL";
    try {
      URI uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new UsageException(verb, source + " '" + text + "' is not an http(s) URL such as " + DEFAULT_URL);
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new UsageException(verb, source + " '" + text + "' is not an http(s) URL such as " + DEFAULT_URL);
    }
  }

  private static long positive(String verb, String option, String value, long max) {
    try {
      long number = Long.parseLong(value);
      if (number > 0 && number <= max) {
        return number;
      }
    } catch (NumberFormatException e) {
      // the message below says what is expected
    }
    throw new UsageException(verb, option + " '" + value + "' is not a positive integer"
        + (verb.equals("restore") && option.equals("--backup-id") ? " or 'latest'" : ""));
  }

  private static Duration duration(String verb, String option, String value) {
    try {
      Duration duration = Duration.parse(value);
      if (!duration.isNegative() && !duration.isZero()) {
        return duration;
      }
    } catch (DateTimeParseException e) {
      // the message below says what is expected
    }
    throw new UsageException(verb, option + " '" + value + "' is not a positive ISO-8601 duration such as PT30M or PT10S");
  }

  private static Instant instant(String verb, String value) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw new UsageException(verb, "--point-in-time '" + value + "' is not an ISO-8601 instant with offset"
          + " (e.g. 2026-01-10T14:00:00Z or 2026-01-10T15:00:00+01:00) or 'latest'");
    }
  }
}
