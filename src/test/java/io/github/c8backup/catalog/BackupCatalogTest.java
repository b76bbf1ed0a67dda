package io.github.c8backup.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

import io.github.c8backup.cluster.ComponentUnavailableException;
import io.github.c8backup.cluster.UnknownClusterException;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The catalog asks the components, judges each ID with the restore preflight's rules, and survives a component that does not answer. */
class BackupCatalogTest {

  private static final ManagementEndpoint ENDPOINT = new ManagementEndpoint(URI.create("http://target.invalid:9600"), "", "/actuator", null);

  private final TargetCluster prod = new TargetCluster(CamundaVersion.V8_8, ENDPOINT, null, null, null, ENDPOINT, ENDPOINT,
      new SearchEndpoint(URI.create("http://search.invalid:9200"), SearchEndpoint.SearchEngineType.OPENSEARCH, "camunda-backups", "zeebe-record", true, null),
      null, Duration.ofSeconds(2), Duration.ofSeconds(1), BackupTimeouts.defaults(), PlatformSettings.manual(), null, null);
  private final FakeCluster cluster = new FakeCluster(Map.of("prod", prod));
  private final FakeDatabases databases = new FakeDatabases();
  private final BackupCatalog catalog = new BackupCatalog(cluster, databases);

  @Test
  void listsEveryIdAnyComponentHoldsNewestFirstWithEachComponentsState() {
    // given two complete backups and a partial one that only the web apps and the snapshot repository still hold
    cluster.storedBackup(100L).storedBackup(200L).storedBackup(300L)
        .storedBackupMissing("zeebe", 300L).storedBackupMissing("optimize", 300L);

    // when
    Catalog result = catalog.catalog("prod", BackupCatalog.DEFAULT_LIMIT);

    // then
    assertThat(result.backups()).extracting(CatalogEntry::backupId).containsExactly(300L, 200L, 100L);
    assertThat(result.problems()).isEmpty();
    assertThat(result.secondaryStorage()).isEqualTo("search");
    CatalogEntry partial = result.backups().get(0);
    assertThat(partial.restorable()).isFalse();
    assertThat(partial.reasons()).containsExactly("Zeebe has no backup 300", "Optimize has no backup 300");
    assertThat(partial.components()).extracting(ComponentState::component, ComponentState::state).containsExactly(
        org.assertj.core.groups.Tuple.tuple("zeebe", "DOES_NOT_EXIST"),
        org.assertj.core.groups.Tuple.tuple("webapps", "COMPLETED"),
        org.assertj.core.groups.Tuple.tuple("optimize", "DOES_NOT_EXIST"),
        org.assertj.core.groups.Tuple.tuple("records-snapshot", "SUCCESS"));
    CatalogEntry complete = result.backups().get(1);
    assertThat(complete.restorable()).isTrue();
    assertThat(complete.reasons()).isEmpty();
    assertThat(complete.versions()).containsExactly("8.8.3");
    assertThat(complete.components().get(0).partitions()).hasSize(3).allMatch(p -> p.state().equals("COMPLETED"));
  }

  @Test
  void saysWhenEachBackupWasTakenFromTheTimesItsPartsReport() {
    // given a backup whose parts all started at one moment, and a partial one only the web apps hold
    java.time.Instant at = java.time.Instant.parse("2026-11-20T02:00:00.250Z");
    java.time.Instant partialAt = java.time.Instant.parse("2026-11-21T02:00:00Z");
    cluster.storedBackup(100L).storedBackupAt(100L, at)
        .storedBackup(200L).storedBackupAt(200L, partialAt)
        .storedBackupMissing("zeebe", 200L).storedBackupMissing("optimize", 200L).storedBackupMissing("search", 200L);

    // when
    Catalog result = catalog.catalog("prod", BackupCatalog.DEFAULT_LIMIT);

    // then
    assertThat(result.backups()).extracting(CatalogEntry::backupId, CatalogEntry::takenAt).containsExactly(
        org.assertj.core.groups.Tuple.tuple(200L, partialAt), org.assertj.core.groups.Tuple.tuple(100L, at));
  }

  @Test
  void readsTheComponentsStartTimeFormatAndIsoAndNothingElse() {
    assertThat(BackupCatalog.parseStartTime("2023-01-01T10:10:10.100+0000")).contains(java.time.Instant.parse("2023-01-01T10:10:10.100Z"));
    assertThat(BackupCatalog.parseStartTime("2023-01-01T12:10:10+0200")).contains(java.time.Instant.parse("2023-01-01T10:10:10Z"));
    assertThat(BackupCatalog.parseStartTime("2023-01-01T10:10:10.100Z")).contains(java.time.Instant.parse("2023-01-01T10:10:10.100Z"));
    assertThat(BackupCatalog.parseStartTime("yesterday")).isEmpty();
    assertThat(BackupCatalog.parseStartTime(null)).isEmpty();
  }

  @Test
  void aComponentThatDoesNotAnswerIsShownUnreachableInEveryEntryAndAskedOnlyOnce() {
    // given
    cluster.storedBackup(100L).storedBackup(200L)
        .fail("optimize.backups", () -> new ComponentUnavailableException("optimize", 0, "Connection refused: optimize:8092", null));

    // when
    Catalog result = catalog.catalog("prod", BackupCatalog.DEFAULT_LIMIT);

    // then the other components still answer for every ID
    assertThat(result.backups()).extracting(CatalogEntry::backupId).containsExactly(200L, 100L);
    for (CatalogEntry entry : result.backups()) {
      assertThat(entry.restorable()).isFalse();
      assertThat(entry.reasons()).containsExactly("Optimize did not answer: Connection refused: optimize:8092");
      assertThat(entry.components()).filteredOn(c -> c.component().equals("optimize"))
          .singleElement().extracting(ComponentState::state).isEqualTo(ComponentState.UNREACHABLE);
      assertThat(entry.components()).filteredOn(c -> c.component().equals("zeebe"))
          .singleElement().extracting(ComponentState::state).isEqualTo("COMPLETED");
    }
    assertThat(result.problems()).containsExactly("optimize is unreachable: Connection refused: optimize:8092");
    assertThat(cluster.calls()).containsOnlyOnce("optimize.backups").doesNotContain("optimize.backup");
  }

  @Test
  void aClusterWhoseVersionCannotBeLearntGivesAnEmptyCatalogThatSaysWhy() {
    // given
    cluster.fail("zeebe.detectVersion", () -> new ComponentUnavailableException("zeebe", 0, "Connection refused: zeebe:9600", null));

    // when
    Catalog result = catalog.catalog("prod", BackupCatalog.DEFAULT_LIMIT);

    // then
    assertThat(result.backups()).isEmpty();
    assertThat(result.problems()).singleElement().asString().contains("version could not be learnt", "Connection refused: zeebe:9600");
  }

  @Test
  void theLimitKeepsTheNewestIdsAndCountsTheRest() {
    // given
    cluster.storedBackup(100L).storedBackup(200L).storedBackup(300L);

    // when
    Catalog result = catalog.catalog("prod", 2);

    // then
    assertThat(result.backups()).extracting(CatalogEntry::backupId).containsExactly(300L, 200L);
    assertThat(result.omitted()).isEqualTo(1);
  }

  @Test
  void anUnknownClusterIsRefusedWithTheConfiguredNames() {
    assertThatThrownBy(() -> catalog.catalog("nope", BackupCatalog.DEFAULT_LIMIT))
        .isInstanceOf(UnknownClusterException.class).hasMessageContaining("nope").hasMessageContaining("prod");
  }

  @Test
  void summaryNamesTheNewestRestorableBackupNotTheNewestId() {
    // given 300 lacks its Optimize part
    cluster.storedBackup(100L).storedBackup(200L).storedBackup(300L).storedBackupMissing("optimize", 300L);

    // when
    List<ClusterSummary> summaries = catalog.summaries();

    // then
    assertThat(summaries).singleElement().satisfies(s -> {
      assertThat(s.cluster()).isEqualTo("prod");
      assertThat(s.version()).isEqualTo("8.8.3");
      assertThat(s.newestRestorableBackup()).isEqualTo(200L);
      assertThat(s.problem()).isNull();
    });
  }

  @Test
  void anRdbmsClusterShowsZeebesBackupsAndThePointInTimeWindowInsteadOfPerIdRestorability() {
    // given an 8.9 RDBMS cluster with continuous Zeebe backups and one base backup of its database
    TargetCluster rdbms = mock(TargetCluster.class);
    given(rdbms.usesRdbms()).willReturn(true);
    given(rdbms.version()).willReturn(CamundaVersion.V8_9);
    FakeCluster pg = new FakeCluster(Map.of("pg", rdbms)).existingZeebeBackups(1_700_000_000_001L, 1_700_000_000_002L);
    databases.takeBaseBackup("base-1");
    BackupCatalog rdbmsCatalog = new BackupCatalog(pg, databases);

    // when
    Catalog result = rdbmsCatalog.catalog("pg", BackupCatalog.DEFAULT_LIMIT);

    // then
    assertThat(result.secondaryStorage()).isEqualTo("rdbms");
    assertThat(result.backups()).extracting(CatalogEntry::backupId).containsExactly(1_700_000_000_002L, 1_700_000_000_001L);
    assertThat(result.backups()).allSatisfy(entry -> assertThat(entry.restorable()).isNull());
    assertThat(result.pointInTime().restorable()).isNotEmpty();
    assertThat(result.pointInTime().latest()).isEqualTo(result.pointInTime().restorable().getLast().to());
    assertThat(result.pointInTime().reason()).isNull();
  }

  @Test
  void anRdbmsClusterWithoutABaseBackupSaysNothingIsRestorableAndWhy() {
    // given
    TargetCluster rdbms = mock(TargetCluster.class);
    given(rdbms.usesRdbms()).willReturn(true);
    given(rdbms.version()).willReturn(CamundaVersion.V8_9);
    FakeCluster pg = new FakeCluster(Map.of("pg", rdbms)).existingZeebeBackups(1_700_000_000_001L);

    // when
    Catalog result = new BackupCatalog(pg, databases).catalog("pg", BackupCatalog.DEFAULT_LIMIT);

    // then
    assertThat(result.pointInTime().latest()).isNull();
    assertThat(result.pointInTime().reason()).contains("no base backup");
  }

  @Test
  void theEndpointAnswers404ForAnUnknownClusterAnd400ForABadLimit() {
    // given
    CatalogController controller = new CatalogController(catalog);

    // when
    var unknown = controller.unknownCluster(new UnknownClusterException("nope", cluster.names()));
    var badLimit = controller.catalog("prod", 0);

    // then
    assertThat(unknown.getStatusCode().value()).isEqualTo(404);
    assertThat(unknown.getBody()).containsEntry("message", "Unknown cluster 'nope'; configured clusters: [prod]");
    assertThat(badLimit.getStatusCode().value()).isEqualTo(400);
    assertThat(cluster.calls()).isEmpty();
  }
}
