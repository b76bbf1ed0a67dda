package io.github.c8backup.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.c8backup.catalog.BackupCatalog;
import io.github.c8backup.cluster.ComponentUnavailableException;
import io.github.c8backup.config.BackupTimeouts;
import io.github.c8backup.config.CamundaVersion;
import io.github.c8backup.config.ManagementEndpoint;
import io.github.c8backup.config.PlatformSettings;
import io.github.c8backup.config.SearchEndpoint;
import io.github.c8backup.config.TargetCluster;
import io.github.c8backup.testing.FakeCluster;
import io.github.c8backup.testing.FakeDatabases;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The newest good backup as the components report it: complete in every component, timed by Zeebe. */
class CatalogNewestGoodBackupsTest {

  private static final ManagementEndpoint ENDPOINT = new ManagementEndpoint(URI.create("http://target.invalid:9600"), "", "/actuator", null);

  private final TargetCluster prod = new TargetCluster(CamundaVersion.V8_8, ENDPOINT, null, null, null, ENDPOINT, ENDPOINT,
      new SearchEndpoint(URI.create("http://search.invalid:9200"), SearchEndpoint.SearchEngineType.OPENSEARCH, "camunda-backups", "zeebe-record", true, null),
      null, Duration.ofSeconds(2), Duration.ofSeconds(1), BackupTimeouts.defaults(), PlatformSettings.manual(), null, null);
  private final FakeCluster cluster = new FakeCluster(Map.of("prod", prod));
  private final CatalogNewestGoodBackups newest = new CatalogNewestGoodBackups(new BackupCatalog(cluster, new FakeDatabases()), cluster);

  @Test
  void theNewestBackupCompleteInEveryComponentTimedByZeebe() {
    // given 300 is newer but incomplete (no Optimize part)
    cluster.storedBackup(100L).storedBackup(200L).storedBackup(300L).storedBackupMissing("optimize", 300L);
    Instant before = Instant.now();

    // when
    NewestGoodBackup result = newest.of("prod");

    // then the fake's Zeebe reports its partitions as updated at the time it is asked
    assertThat(result.status()).isEqualTo(NewestGoodBackup.Status.FOUND);
    assertThat(result.at()).isBetween(before, Instant.now());
    assertThat(cluster.calls()).endsWith("zeebe.backup");
  }

  @Test
  void noneWhenTheComponentsAnswerAndHoldNoCompleteBackup() {
    cluster.storedBackup(300L).storedBackupMissing("zeebe", 300L);

    assertThat(newest.of("prod").status()).isEqualTo(NewestGoodBackup.Status.NONE);
  }

  @Test
  void unknownNotNoneWhenAComponentDoesNotAnswer() {
    // given
    cluster.storedBackup(100L).fail("optimize.backups", () -> new ComponentUnavailableException("optimize", 0, "Connection refused", null));

    // when
    NewestGoodBackup result = newest.of("prod");

    // then
    assertThat(result.status()).isEqualTo(NewestGoodBackup.Status.UNKNOWN);
    assertThat(result.problem()).contains("Connection refused");
  }
}
