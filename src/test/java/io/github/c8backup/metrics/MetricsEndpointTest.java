package io.github.c8backup.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.c8backup.BackupOrchestratorApplication;
import io.github.c8backup.testing.Await;
import io.github.c8backup.testing.ControlEngine;
import io.github.c8backup.testing.FakeCluster;
import io.github.c8backup.config.OrchestratorProperties;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.yaml.snakeyaml.Yaml;

/**
 * The orchestrator as deployed: its own port serves {@code /actuator/prometheus} and the health
 * probes, both clusters show, and the example alert rules name only metrics it really serves. It
 * runs on an engine of its own (not the process tests' shared one, whose jobs its workers would
 * take), with two clusters on in-memory components that already hold a backup.
 */
class MetricsEndpointTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static ControlEngine engine;
  private static ConfigurableApplicationContext orchestrator;
  private static String base;

  @BeforeAll
  static void start() {
    engine = ControlEngine.start(0);
    Map<String, Object> p = new java.util.LinkedHashMap<>();
    p.put("camunda.client.grpc-address", engine.grpcAddress());
    p.put("server.port", 0);
    p.put("orchestrator.retry-backoff", "PT0S");
    for (String cluster : List.of("east", "west")) {
      p.put("orchestrator.clusters." + cluster + ".version", "8.8");
      p.put("orchestrator.clusters." + cluster + ".zeebe.url", "http://zeebe-" + cluster + ".invalid:9600");
      p.put("orchestrator.clusters." + cluster + ".timeouts.poll-interval", "PT0.1S");
    }
    SpringApplication application = new SpringApplication(BackupOrchestratorApplication.class);
    application.addInitializers(context -> ((GenericApplicationContext) context).registerBean("fakeCluster", FakeCluster.class,
        () -> new FakeCluster(context.getBean(OrchestratorProperties.class).clusters()).storedBackup(100L), definition -> definition.setPrimary(true)));
    orchestrator = application.run(p.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    base = "http://localhost:" + orchestrator.getEnvironment().getProperty("local.server.port");
  }

  @AfterAll
  static void stop() {
    if (orchestrator != null) {
      orchestrator.close();
    }
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void healthProbesAnswerOnTheOrchestratorsPort() throws Exception {
    for (String path : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")) {
      HttpResponse<String> response = get(path);
      assertThat(response.statusCode()).as(path).isEqualTo(200);
      assertThat(response.body()).as(path).contains("\"status\":\"UP\"");
    }
  }

  @Test
  void bothClustersShowWithTheirLastGoodBackupLearntFromTheComponentsAndTheAlertRulesNameServedMetrics() throws Exception {
    // given the components' answer at startup, before any run
    Await.until("both gauges learnt from the components", TIMEOUT, Duration.ofMillis(100),
        () -> scrape().contains("c8backup_backup_last_success_timestamp_seconds{cluster=\"west\"}")
            && scrape().contains("c8backup_backup_last_success_timestamp_seconds{cluster=\"east\"}"));

    // when a backup of east runs slowly and a second request arrives meanwhile
    FakeCluster fake = orchestrator.getBean(FakeCluster.class);
    fake.completeAfterChecks("zeebe", 20);
    assertThat(post("/api/clusters/east/backups").statusCode()).isEqualTo(202);
    Await.until("the run of east in progress", TIMEOUT, Duration.ofMillis(50), () -> fake.calls().contains("zeebe.takeBackup"));
    assertThat(post("/api/clusters/east/backups").statusCode()).isEqualTo(202);
    Await.until("the run of east recorded", TIMEOUT, Duration.ofMillis(100),
        () -> scrape().contains("c8backup_run_duration_seconds_count{cluster=\"east\",operation=\"backup\",outcome=\"COMPLETED\"} 1"));

    // then
    String scraped = scrape();
    assertThat(scraped)
        .contains("c8backup_requests_skipped_total{cluster=\"east\",operation=\"backup\",requestedBy=\"api\"} 1")
        .contains("c8backup_runs_total{cluster=\"east\",operation=\"backup\",outcome=\"COMPLETED\"} 1")
        .contains("c8backup_runs_total{cluster=\"west\",operation=\"backup\",outcome=\"COMPLETED\"} 0")
        .containsPattern("c8backup_exporting_paused_seconds_count\\{cluster=\"east\"\\} 1")
        .doesNotContain(".invalid");

    // and every metric the example alert rules use is served
    Map<String, Object> rules = new Yaml().load(Files.readString(Path.of("docs/prometheus-alerts.yml")));
    List<Map<String, Object>> groups = cast(rules.get("groups"));
    TreeSet<String> used = new TreeSet<>();
    for (Map<String, Object> group : groups) {
      for (Map<String, Object> rule : List.<Map<String, Object>>copyOf(cast(group.get("rules")))) {
        assertThat(rule).containsKeys("alert", "expr");
        Matcher names = Pattern.compile("c8backup_[a-z_]+").matcher(String.valueOf(rule.get("expr")));
        while (names.find()) {
          used.add(names.group());
        }
      }
    }
    assertThat(used).contains("c8backup_backup_last_success_timestamp_seconds", "c8backup_requests_skipped_total", "c8backup_runs_failed_total");
    for (String name : used) {
      if (name.equals("c8backup_runs_failed_total")) {
        // appears with the first failure; its HELP line is there as soon as the counter exists
        continue;
      }
      assertThat(scraped).as(name).containsPattern("(?m)^" + name + "\\{");
    }
  }

  @Test
  void aFailedRunShowsTheFailureCounterTheAlertRuleUses() throws Exception {
    FakeCluster fake = orchestrator.getBean(FakeCluster.class);
    fake.fail("zeebe.softPauseExporting", () -> new io.github.c8backup.cluster.ComponentRequestRejectedException("zeebe", 500, "paused failed", "zeebe answered HTTP 500"));
    try {
      assertThat(post("/api/clusters/west/backups").statusCode()).isEqualTo(202);
      Await.until("the failed run of west recorded", TIMEOUT, Duration.ofMillis(100),
          () -> scrape().contains("c8backup_runs_failed_total{cluster=\"west\",operation=\"backup\",step=\"backup.soft-pause-exporting\"} 1"));
    } finally {
      fake.clearFault("zeebe.softPauseExporting");
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T cast(Object value) {
    return (T) value;
  }

  private static String scrape() throws Exception {
    HttpResponse<String> response = get("/actuator/prometheus");
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
  }

}
