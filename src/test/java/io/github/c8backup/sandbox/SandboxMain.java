package io.github.c8backup.sandbox;

import io.github.c8backup.sandbox.storage.SearchEngineKind;
import io.github.c8backup.testing.ProcessHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * README command 1: {@code ./mvnw spring-boot:test-run}. Starts the sandbox, creates a few process
 * instances on the simulated target, lets the timer start a backup within seconds, prints a report
 * of every backup run, and keeps running until Ctrl-C.
 *
 * <p>Options (system properties, e.g. {@code -Dsandbox.camunda-version=8.6.12}):
 * {@code sandbox.camunda-version} (default 8.8.3), {@code sandbox.search} (opensearch or
 * elasticsearch), {@code sandbox.rdbms} (true: an 8.9 target, default 8.9.1, whose secondary
 * storage is a real PostgreSQL instead of the search engine, with continuous Zeebe backups every
 * 5 s), {@code sandbox.exit-after-first} (stop after the first report), {@code sandbox.clusters}
 * (comma-separated names, e.g. {@code alpha,beta}: one simulated target per name on the shared
 * storage, each scheduled; the first on the documented ports, see {@link Sandbox}).
 */
public final class SandboxMain {

  private SandboxMain() {}

  public static void main(String[] args) throws Exception {
    if (Boolean.getBoolean("sandbox.benchmark")) {
      Benchmark.run(args);
      return;
    }
    boolean rdbms = Boolean.getBoolean("sandbox.rdbms");
    String version = System.getProperty("sandbox.camunda-version", rdbms ? "8.9.1" : "8.8.3");
    SearchEngineKind search = SearchEngineKind.valueOf(System.getProperty("sandbox.search", "opensearch").toUpperCase());
    boolean exitAfterFirst = Boolean.getBoolean("sandbox.exit-after-first");
    // One scheduled backup, 15 s after the process is deployed (counted by the engine, so a slow start
    // cannot make it miss); more on demand through the endpoint.
    String schedule = "R1/PT15S";
    List<String> clusters = List.of(System.getProperty("sandbox.clusters", Sandbox.CLUSTER).split(","));

    System.out.println("[sandbox] starting: real S3Proxy and " + (rdbms ? "PostgreSQL" : search) + ", simulated Camunda " + version
        + " target, Zeebe Process Test control engine, the orchestrator");
    Instant begin = Instant.now();
    Sandbox sandbox = Sandbox.start(rdbms
        ? Sandbox.Options.rdbms(version, schedule, true, Duration.ofSeconds(3), Duration.ofSeconds(5))
        : new Sandbox.Options(version, search, schedule, true, Duration.ofSeconds(3)).withClusters(clusters.toArray(String[]::new)));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("[sandbox] stopping everything");
      sandbox.close();
      stopped.countDown();
    }, "sandbox-stop"));
    System.out.println("[sandbox] ready in " + Duration.between(begin, Instant.now()).toSeconds() + " s");
    System.out.println("[sandbox] simulated target: Zeebe management " + sandbox.simulator().zeebeManagementUrl()
        + ", gateway REST " + sandbox.simulator().gatewayRestUrl());
    for (String cluster : sandbox.clusters()) {
      for (int i = 0; i < 5; i++) {
        sandbox.simulator(cluster).createProcessInstance("order-process");
      }
    }
    System.out.println("[sandbox] created 5 process instances on each of " + sandbox.clusters() + "; schedule " + schedule);
    System.out.println("[sandbox] more backups on demand: curl -X POST http://localhost:" + sandbox.orchestratorPort()
        + "/api/clusters/" + sandbox.clusters().getFirst() + "/backups ; list: curl http://localhost:" + sandbox.orchestratorPort()
        + "/api/clusters/" + sandbox.clusters().getFirst() + "/backups ; Ctrl-C stops.");
    if (!rdbms) { // camunda-restore has no RDBMS path yet (issue 6)
      System.out.println("[sandbox] restore the newest complete backup: curl -X POST -H 'Content-Type: application/json' -d '{\"backupId\":\"latest\",\"preApproved\":true}' http://localhost:"
          + sandbox.orchestratorPort() + "/api/clusters/" + sandbox.clusters().getFirst() + "/restores");
    }

    ProcessHistory history = sandbox.history();
    Set<Long> reported = new HashSet<>();
    while (stopped.getCount() > 0) {
      for (String process : List.of("camunda-backup", "camunda-restore")) {
        for (Long key : history.instances(process)) {
          if (!reported.contains(key) && history.isEnded(key)) {
            reported.add(key);
            if (process.equals("camunda-backup")) {
              BackupRunReport.print(System.out, sandbox, key);
            } else {
              BackupRunReport.printRestore(System.out, sandbox, key);
            }
            if (exitAfterFirst && reported.size() >= sandbox.clusters().size()) {
              System.exit(0);
            }
          }
        }
      }
      Thread.sleep(500);
    }
  }
}
