package io.github.c8backup.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One Camunda 8 Self-Managed cluster to back up, as configured under
 * {@code orchestrator.clusters.<name>}. Components left out (null) are not deployed and their
 * steps are skipped visibly in the process.
 *
 * @param version pins the API flavour; null means detect it from the cluster
 * @param zeebe Zeebe's management API (the gateway, or the orchestration cluster from 8.8)
 * @param zeebeRest the gateway's REST API ({@code /v2/topology}), optional, used for the version
 *     and the partition count
 * @param operate Operate's management API (8.6/8.7 only)
 * @param tasklist Tasklist's management API (8.6/8.7 only)
 * @param webapps the orchestration cluster's {@code backupHistory} API (8.8+); usually Zeebe's
 * @param optimize Optimize's management API (port 8092)
 * @param search the ES/OS cluster with the snapshot repository
 * @param platform where the cluster runs, for restores (default manual)
 * @param schedule ISO-8601 repeating interval ({@code R/PT24H}) or a cron expression
 *     ({@code 0 0 2 * * ?}); null means on demand only
 * @param secondaryStorage {@code elasticsearch}, {@code opensearch} or {@code rdbms}; null means
 *     the search endpoint's type, or the Elasticsearch/OpenSearch path when none is configured
 * @param database the RDBMS for {@code rdbms}: where its native backups go and how to reach it
 * @param retention which backups the retention run deletes (Elasticsearch/OpenSearch path only);
 *     null = none
 * @param zeebeRestCredentials basic auth for {@code zeebeRest}, where the orchestration cluster
 *     protects its REST API (the Helm chart's default from 13.x); null = unauthenticated
 */
public record TargetCluster(
    CamundaVersion version,
    @NotNull @Valid ManagementEndpoint zeebe,
    URI zeebeRest,
    @Valid ManagementEndpoint operate,
    @Valid ManagementEndpoint tasklist,
    @Valid ManagementEndpoint webapps,
    @Valid ManagementEndpoint optimize,
    @Valid SearchEndpoint search,
    String schedule,
    @DefaultValue("PT10S") Duration requestTimeout,
    @DefaultValue("PT5S") Duration connectTimeout,
    @Valid @DefaultValue BackupTimeouts timeouts,
    @Valid @DefaultValue PlatformSettings platform,
    SecondaryStorage secondaryStorage,
    @Valid DatabaseSettings database,
    @Valid RetentionSettings retention,
    @Valid Credentials zeebeRestCredentials) {

  @ConstructorBinding
  public TargetCluster {
    if (secondaryStorage == SecondaryStorage.RDBMS) {
      if (version != null && version != CamundaVersion.V8_9) {
        throw new IllegalArgumentException("secondary-storage: rdbms needs Camunda 8.9 or newer, but version is pinned to " + version);
      }
      if (database == null || database.postgres() == null) {
        throw new IllegalArgumentException("secondary-storage: rdbms needs database.postgres (host, database, username,"
            + " backup-directory, wal-archive-directory) for the database's native backups");
      }
      if (webapps != null || operate != null || tasklist != null) {
        throw new IllegalArgumentException("secondary-storage: rdbms keeps the web applications' data in the database, which the"
            + " database backup covers; remove webapps/operate/tasklist from this cluster");
      }
    } else if (secondaryStorage != null && search != null && search.type() != null
        && !search.type().name().equals(secondaryStorage.name())) {
      throw new IllegalArgumentException("secondary-storage: " + secondaryStorage.name().toLowerCase()
          + " contradicts search.type " + search.type().name().toLowerCase());
    }
    if (schedule != null && !schedule.isBlank()) {
      String problem = io.github.c8backup.backup.BackupSchedule.problem(schedule);
      if (problem != null) {
        throw new IllegalArgumentException("schedule: " + problem);
      }
    }
    if (zeebeRestCredentials != null && zeebeRest == null) {
      throw new IllegalArgumentException("zeebe-rest-credentials are set but zeebe-rest is not: set zeebe-rest to the gateway's REST"
          + " address (port 8080), or remove the credentials");
    }
    if (retention != null) {
      String problem = retention.problem(timeouts, secondaryStorage == SecondaryStorage.RDBMS);
      if (problem != null) {
        throw new IllegalArgumentException(problem);
      }
    }
  }

  /** Without retention, as clusters were configured before it existed. */
  public TargetCluster(CamundaVersion version, ManagementEndpoint zeebe, URI zeebeRest, ManagementEndpoint operate,
      ManagementEndpoint tasklist, ManagementEndpoint webapps, ManagementEndpoint optimize, SearchEndpoint search,
      String schedule, Duration requestTimeout, Duration connectTimeout, BackupTimeouts timeouts, PlatformSettings platform,
      SecondaryStorage secondaryStorage, DatabaseSettings database) {
    this(version, zeebe, zeebeRest, operate, tasklist, webapps, optimize, search, schedule, requestTimeout, connectTimeout,
        timeouts, platform, secondaryStorage, database, null, null);
  }

  /** Whether retention deletes backups of this cluster. */
  public boolean hasRetentionPolicy() {
    return retention != null && retention.hasPolicy();
  }

  /** The path a backup of this cluster takes: RDBMS only when configured so. */
  public boolean usesRdbms() {
    return secondaryStorage == SecondaryStorage.RDBMS;
  }
}
