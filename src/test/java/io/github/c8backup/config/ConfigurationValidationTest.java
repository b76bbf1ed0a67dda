package io.github.c8backup.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.c8backup.BackupOrchestratorApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Bad configuration stops the orchestrator at startup with a message naming the property. */
class ConfigurationValidationTest {

  @Configuration
  @EnableConfigurationProperties(OrchestratorProperties.class)
  @Import(CamundaVersionConverter.class)
  static class Properties {}

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
      .withUserConfiguration(Properties.class);

  @Test
  void bindsAValidCluster() {
    runner.withPropertyValues(
            "orchestrator.clusters.prod.version=8.8",
            "orchestrator.clusters.prod.zeebe.url=http://camunda:9600",
            "orchestrator.clusters.prod.zeebe.context-path=/camunda",
            "orchestrator.clusters.prod.search.url=http://es:9200",
            "orchestrator.clusters.prod.search.snapshot-repository=camunda-backups",
            "orchestrator.clusters.prod.schedule=0 0 2 * * *")
        .run(context -> {
          assertThat(context).hasNotFailed();
          TargetCluster prod = context.getBean(OrchestratorProperties.class).clusters().get("prod");
          assertThat(prod.version()).isEqualTo(CamundaVersion.V8_8);
          assertThat(prod.zeebe().endpoint("backupRuntime").toString()).isEqualTo("http://camunda:9600/camunda/actuator/backupRuntime");
          assertThat(prod.timeouts().pollInterval()).hasSeconds(2);
          assertThat(prod.search().recordsIndexPrefix()).isEqualTo("zeebe-record");
        });
  }

  @Test
  void theReadmesTwoClusterExampleBinds() throws Exception {
    // the yaml block after "Two clusters with nightly backups" in README.md, flattened to properties
    String readme = java.nio.file.Files.readString(java.nio.file.Path.of("README.md"));
    int at = readme.indexOf("```yaml", readme.indexOf("Two clusters with nightly backups"));
    String yaml = readme.substring(at + "```yaml".length(), readme.indexOf("```", at + 7));
    java.util.List<String> properties = new java.util.ArrayList<>();
    flatten("", new org.yaml.snakeyaml.Yaml().load(yaml), properties);

    runner.withPropertyValues(properties.toArray(String[]::new)).run(context -> {
      assertThat(context).hasNotFailed();
      var clusters = context.getBean(OrchestratorProperties.class).clusters();
      assertThat(clusters).containsOnlyKeys("prod", "staging");
      assertThat(clusters.get("prod").retention().keepLast()).isEqualTo(7);
      assertThat(clusters.get("staging").schedule()).isEqualTo("R/PT6H");
    });
  }

  @SuppressWarnings("unchecked")
  private static void flatten(String prefix, Object value, java.util.List<String> out) {
    if (value instanceof java.util.Map<?, ?> map) {
      map.forEach((key, nested) -> flatten(prefix.isEmpty() ? String.valueOf(key) : prefix + "." + key, nested, out));
    } else {
      out.add(prefix + "=" + value);
    }
  }

  @Test
  void refusesToStartWithoutClusters() {
    runner.run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("clusters"));
  }

  @Test
  void refusesAnUnsupportedVersion() {
    runner.withPropertyValues("orchestrator.clusters.old.version=8.5", "orchestrator.clusters.old.zeebe.url=http://z:9600")
        .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("Unsupported Camunda version '8.5'"));
  }

  @Test
  void refusesAMissingZeebeUrl() {
    runner.withPropertyValues("orchestrator.clusters.prod.version=8.8")
        .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("clusters[prod].zeebe"));
  }

  @Test
  void refusesAPollIntervalOfZeroAndANegativeCheckWait() {
    runner.withPropertyValues("orchestrator.clusters.prod.zeebe.url=http://z:9600", "orchestrator.clusters.prod.timeouts.poll-interval=PT0S")
        .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("timeouts.poll-interval must be a positive duration"));
    runner.withPropertyValues("orchestrator.clusters.prod.zeebe.url=http://z:9600", "orchestrator.clusters.prod.timeouts.check-wait=-PT1S")
        .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("timeouts.check-wait must not be negative"));
    runner.withPropertyValues("orchestrator.clusters.prod.zeebe.url=http://z:9600", "orchestrator.clusters.prod.timeouts.check-wait=PT0S")
        .run(context -> assertThat(context).hasNotFailed());
  }

  @Test
  void bindsZeebeRestCredentialsAndRefusesThemWithoutZeebeRest() {
    runner.withPropertyValues("orchestrator.clusters.prod.zeebe.url=http://z:9600", "orchestrator.clusters.prod.zeebe-rest=http://z:8080",
            "orchestrator.clusters.prod.zeebe-rest-credentials.username=backup-bot", "orchestrator.clusters.prod.zeebe-rest-credentials.password=s3cret")
        .run(context -> assertThat(context.getBean(OrchestratorProperties.class).clusters().get("prod").zeebeRestCredentials())
            .isEqualTo(new Credentials("backup-bot", "s3cret")));
    runner.withPropertyValues("orchestrator.clusters.prod.zeebe.url=http://z:9600",
            "orchestrator.clusters.prod.zeebe-rest-credentials.username=backup-bot", "orchestrator.clusters.prod.zeebe-rest-credentials.password=s3cret")
        .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("zeebe-rest-credentials are set but zeebe-rest is not"));
  }

  @Test
  void refusesABadSchedule() {
    runner.withPropertyValues("orchestrator.clusters.prod.zeebe.url=http://z:9600", "orchestrator.clusters.prod.schedule=nightly")
        .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("Schedule 'nightly'"));
  }

  @Test
  void neverPrintsAPassword() {
    assertThat(new Credentials("backup", "s3cr3t").toString()).doesNotContain("s3cr3t").contains("backup");
    assertThat(BackupOrchestratorApplication.class).isNotNull();
  }

  private static final String[] RDBMS_CLUSTER = {
      "orchestrator.clusters.r.version=8.9",
      "orchestrator.clusters.r.secondary-storage=rdbms",
      "orchestrator.clusters.r.zeebe.url=http://camunda:9600",
      "orchestrator.clusters.r.database.postgres.host=postgres",
      "orchestrator.clusters.r.database.postgres.database=camunda",
      "orchestrator.clusters.r.database.postgres.username=backup",
      "orchestrator.clusters.r.database.postgres.password-file=/run/secrets/postgres",
      "orchestrator.clusters.r.database.postgres.backup-directory=/backups/postgres",
      "orchestrator.clusters.r.database.postgres.wal-archive-directory=/archive/wal"};

  @Test
  void bindsAnRdbmsClusterWithItsDatabase() {
    runner.withPropertyValues(RDBMS_CLUSTER).run(context -> {
      assertThat(context).hasNotFailed();
      TargetCluster cluster = context.getBean(OrchestratorProperties.class).clusters().get("r");
      assertThat(cluster.usesRdbms()).isTrue();
      assertThat(cluster.database().postgres().port()).isEqualTo(5432);
      assertThat(cluster.database().postgres().jdbcUrl()).isEqualTo("jdbc:postgresql://postgres:5432/camunda");
    });
  }

  @Test
  void bindsRetentionDefaultsAndRefusesSettingsThatWouldKeepLessThanTheRule() {
    runner.withPropertyValues(RDBMS_CLUSTER).run(context -> {
      DatabaseRetentionSettings retention = context.getBean(OrchestratorProperties.class).clusters().get("r").database().retention();
      assertThat(retention.enabled()).isTrue();
      assertThat(retention.keepAtLeast()).isEqualTo(1);
      assertThat(retention.clockTolerance()).isEqualTo(java.time.Duration.ofMinutes(1));
    });
    runner.withPropertyValues(RDBMS_CLUSTER).withPropertyValues("orchestrator.clusters.r.database.retention.keep-at-least=0")
        .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("keepAtLeast"));
    runner.withPropertyValues(RDBMS_CLUSTER).withPropertyValues("orchestrator.clusters.r.database.retention.clock-tolerance=-PT1S")
        .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("clock-tolerance must not be negative"));
  }

  @Test
  void refusesAnRdbmsClusterWithoutItsDatabase() {
    runner.withPropertyValues("orchestrator.clusters.r.version=8.9", "orchestrator.clusters.r.secondary-storage=rdbms",
            "orchestrator.clusters.r.zeebe.url=http://camunda:9600")
        .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("rdbms needs database.postgres"));
  }

  @Test
  void refusesAnRdbmsClusterOnAnOlderVersionOrWithWebAppBackups() {
    runner.withPropertyValues(RDBMS_CLUSTER).withPropertyValues("orchestrator.clusters.r.version=8.8")
        .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("needs Camunda 8.9"));
    runner.withPropertyValues(RDBMS_CLUSTER).withPropertyValues("orchestrator.clusters.r.webapps.url=http://camunda:9600")
        .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("remove webapps/operate/tasklist"));
  }

  @Test
  void refusesASecondaryStorageThatContradictsTheSearchType() {
    runner.withPropertyValues("orchestrator.clusters.p.version=8.8", "orchestrator.clusters.p.zeebe.url=http://camunda:9600",
            "orchestrator.clusters.p.secondary-storage=elasticsearch", "orchestrator.clusters.p.search.url=http://os:9200",
            "orchestrator.clusters.p.search.type=opensearch", "orchestrator.clusters.p.search.snapshot-repository=camunda-backups")
        .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("elasticsearch contradicts search.type opensearch"));
  }

  private static final String[] SEARCH_CLUSTER = {
      "orchestrator.clusters.prod.version=8.8",
      "orchestrator.clusters.prod.zeebe.url=http://camunda:9600",
      "orchestrator.clusters.prod.search.url=http://es:9200",
      "orchestrator.clusters.prod.search.snapshot-repository=camunda-backups"};

  @Test
  void bindsARetentionPolicyWithItsDefaultGrace() {
    runner.withPropertyValues(SEARCH_CLUSTER).withPropertyValues(
            "orchestrator.clusters.prod.retention.keep-last=7",
            "orchestrator.clusters.prod.retention.max-age=P30D",
            "orchestrator.clusters.prod.retention.schedule=0 30 3 * * *")
        .run(context -> {
          assertThat(context).hasNotFailed();
          TargetCluster prod = context.getBean(OrchestratorProperties.class).clusters().get("prod");
          assertThat(prod.hasRetentionPolicy()).isTrue();
          assertThat(prod.retention().keepLast()).isEqualTo(7);
          assertThat(prod.retention().maxAge()).isEqualTo(java.time.Duration.ofDays(30));
          assertThat(prod.retention().partialGrace()).isEqualTo(java.time.Duration.ofHours(2));
          assertThat(prod.retention().schedule()).isEqualTo("0 30 3 * * *");
        });
  }

  @Test
  void withoutARetentionBlockAClusterHasNoRetention() {
    runner.withPropertyValues(SEARCH_CLUSTER).run(context -> {
      assertThat(context).hasNotFailed();
      TargetCluster prod = context.getBean(OrchestratorProperties.class).clusters().get("prod");
      assertThat(prod.retention()).isNull();
      assertThat(prod.hasRetentionPolicy()).isFalse();
    });
  }

  @Test
  void refusesRetentionSettingsThatDeleteTooMuchOrNothing() {
    runner.withPropertyValues(SEARCH_CLUSTER).withPropertyValues("orchestrator.clusters.prod.retention.keep-last=0")
        .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("keepLast"));
    runner.withPropertyValues(SEARCH_CLUSTER).withPropertyValues("orchestrator.clusters.prod.retention.max-age=-P1D")
        .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("retention.max-age must be a positive duration"));
    runner.withPropertyValues(SEARCH_CLUSTER).withPropertyValues("orchestrator.clusters.prod.retention.max-age=thirty days")
        .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("thirty days"));
    runner.withPropertyValues(SEARCH_CLUSTER).withPropertyValues("orchestrator.clusters.prod.retention.schedule=R/P1D")
        .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("retention needs keep-last or max-age"));
    runner.withPropertyValues(SEARCH_CLUSTER).withPropertyValues("orchestrator.clusters.prod.retention.keep-last=3",
            "orchestrator.clusters.prod.retention.schedule=weekly")
        .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("retention.schedule: Schedule 'weekly'"));
  }

  @Test
  void refusesAPartialGraceAnInProgressBackupCouldOutlast() {
    // the default deadlines add up to 75 minutes (web apps 30, records snapshot 15, Zeebe 30)
    runner.withPropertyValues(SEARCH_CLUSTER).withPropertyValues("orchestrator.clusters.prod.retention.keep-last=3",
            "orchestrator.clusters.prod.retention.partial-grace=PT1H")
        .run(context -> assertThat(context).getFailure().rootCause()
            .hasMessageContaining("retention.partial-grace (PT1H) must exceed the longest a backup can run").hasMessageContaining("PT1H15M"));
    runner.withPropertyValues(SEARCH_CLUSTER).withPropertyValues("orchestrator.clusters.prod.retention.keep-last=3",
            "orchestrator.clusters.prod.retention.partial-grace=PT1H", "orchestrator.clusters.prod.timeouts.webapps-deadline=PT10M",
            "orchestrator.clusters.prod.timeouts.zeebe-deadline=PT10M")
        .run(context -> assertThat(context).hasNotFailed());
  }

  @Test
  void refusesRetentionOnAnRdbmsClusterWhoseRetentionIsZeebesWindowAndTheDatabases() {
    runner.withPropertyValues(RDBMS_CLUSTER).withPropertyValues("orchestrator.clusters.r.retention.keep-last=3")
        .run(context -> assertThat(context).getFailure().rootCause()
            .hasMessageContaining("retention is for the Elasticsearch/OpenSearch path").hasMessageContaining("database.retention"));
  }
}
