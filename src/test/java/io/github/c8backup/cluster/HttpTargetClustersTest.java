package io.github.c8backup.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.c8backup.config.BackupTimeouts;
import io.github.c8backup.config.PlatformSettings;
import io.github.c8backup.config.CamundaVersion;
import io.github.c8backup.config.Credentials;
import io.github.c8backup.config.ManagementEndpoint;
import io.github.c8backup.config.OrchestratorProperties;
import io.github.c8backup.config.SearchEndpoint;
import io.github.c8backup.config.TargetCluster;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpTargetClustersTest {

  private static final String PASSWORD = "cluster-Secret-5";
  private static final String TOPOLOGY =
      """
      {"brokers":[{"nodeId":0,"host":"zeebe-0","port":26501,"version":"%1$s",
        "partitions":[{"partitionId":1,"role":"leader","health":"healthy"}]}],
       "clusterSize":1,"partitionsCount":1,"replicationFactor":1,"gatewayVersion":"%1$s"}
      """;

  private final RecordingHttpServer server = RecordingHttpServer.start();

  @AfterEach
  void stop() {
    server.close();
  }

  private ManagementEndpoint management(String contextPath) {
    return new ManagementEndpoint(server.url(), contextPath, "/actuator", new Credentials("admin", PASSWORD));
  }

  private TargetCluster cluster(CamundaVersion version, URI zeebeRest) {
    return new TargetCluster(version, management(""), zeebeRest, null, null, null, null, null, null,
        Duration.ofSeconds(2), Duration.ofSeconds(1), BackupTimeouts.defaults(), PlatformSettings.manual(), null, null);
  }

  private TargetCluster fullCluster() {
    return new TargetCluster(null, management(""), server.url(), management("/operate"), management("/tasklist"),
        management(""), management("/ignored"),
        new SearchEndpoint(server.url(), SearchEndpoint.SearchEngineType.OPENSEARCH, "camunda", "zeebe-record", true, null),
        null, Duration.ofSeconds(2), Duration.ofSeconds(1), BackupTimeouts.defaults(), PlatformSettings.manual(), null, null);
  }

  private static HttpTargetClusters clusters(Map<String, TargetCluster> clusters) {
    return new HttpTargetClusters(new OrchestratorProperties(clusters, java.time.Duration.ofSeconds(10)));
  }

  @Test
  void namesAreTheConfiguredClusters() {
    // given
    HttpTargetClusters clusters = clusters(Map.of("prod", cluster(CamundaVersion.V8_8, null), "dev", cluster(null, null)));

    // when / then
    assertThat(clusters.names()).containsExactly("dev", "prod");
    assertThat(clusters.settings("prod").version()).isEqualTo(CamundaVersion.V8_8);
  }

  @Test
  void unknownClusterIsRejectedByEveryMethod() {
    // given
    HttpTargetClusters clusters = clusters(Map.of("prod", cluster(CamundaVersion.V8_8, null)));

    // when / then
    assertThat(catchThrowableOfType(UnknownClusterException.class, () -> clusters.settings("staging")))
        .hasMessage("Unknown cluster 'staging'; configured clusters: [prod]");
    assertThat(catchThrowableOfType(UnknownClusterException.class, () -> clusters.detectVersion("staging"))).isNotNull();
    assertThat(catchThrowableOfType(UnknownClusterException.class, () -> clusters.connect("staging", CamundaVersion.V8_8)))
        .isNotNull();
  }

  @Test
  void pinnedVersionComesFromConfigurationWithoutAskingTheCluster() {
    // given
    HttpTargetClusters clusters = clusters(Map.of("prod", cluster(CamundaVersion.V8_7, server.url())));

    // when
    DetectedVersion detected = clusters.detectVersion("prod");

    // then
    assertThat(detected).isEqualTo(new DetectedVersion(CamundaVersion.V8_7, null, "configuration"));
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void versionComesFromGatewayTopologyWhenZeebeRestIsSet() {
    // given
    server.respond("GET", "/v2/topology", 200, TOPOLOGY.formatted("8.8.3"));
    HttpTargetClusters clusters = clusters(Map.of("prod", cluster(null, server.url())));

    // when
    DetectedVersion detected = clusters.detectVersion("prod");

    // then
    assertThat(detected).isEqualTo(new DetectedVersion(CamundaVersion.V8_8, "8.8.3", "gateway topology"));
    assertThat(server.requests()).extracting(RecordingHttpServer.RecordedRequest::path).containsExactly("/v2/topology");
    assertThat(server.lastRequest().header("Authorization")).isNull(); // the management API's credentials stay there
  }

  @Test
  void gatewayTopologyCarriesTheZeebeRestCredentials() {
    // given: a cluster whose REST API is protected (Helm chart 13.x's default)
    server.respond("GET", "/v2/topology", 200, TOPOLOGY.formatted("8.8.3"));
    TargetCluster protectedRest = withZeebeRestCredentials(cluster(null, server.url()), new Credentials("backup-bot", "s3cret"));
    HttpTargetClusters clusters = clusters(Map.of("prod", protectedRest));

    // when
    clusters.detectVersion("prod");

    // then
    assertThat(server.lastRequest().header("Authorization"))
        .isEqualTo("Basic " + java.util.Base64.getEncoder().encodeToString("backup-bot:s3cret".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Test
  void aRefusedTopologyNamesTheCredentialsToCheckButNeverTheirValue() {
    // given
    server.respond("GET", "/v2/topology", 401, "{\"title\":\"Unauthorized\"}");
    TargetCluster protectedRest = withZeebeRestCredentials(cluster(null, server.url()), new Credentials("backup-bot", "wrong-s3cret"));
    HttpTargetClusters clusters = clusters(Map.of("prod", protectedRest));

    // when
    ComponentRequestRejectedException e =
        catchThrowableOfType(ComponentRequestRejectedException.class, () -> clusters.detectVersion("prod"));

    // then
    assertThat(e.getMessage()).contains("HTTP 401").contains("zeebe-rest-credentials").doesNotContain("wrong-s3cret");
  }

  private static TargetCluster withZeebeRestCredentials(TargetCluster c, Credentials credentials) {
    return new TargetCluster(c.version(), c.zeebe(), c.zeebeRest(), c.operate(), c.tasklist(), c.webapps(), c.optimize(), c.search(),
        c.schedule(), c.requestTimeout(), c.connectTimeout(), c.timeouts(), c.platform(), c.secondaryStorage(), c.database(),
        c.retention(), credentials);
  }

  @Test
  void unsupportedGatewayVersionAsksToPinTheVersion() {
    // given
    server.respond("GET", "/v2/topology", 200, TOPOLOGY.formatted("8.5.2"));
    HttpTargetClusters clusters = clusters(Map.of("prod", cluster(null, server.url())));

    // when
    ComponentRequestRejectedException e =
        catchThrowableOfType(ComponentRequestRejectedException.class, () -> clusters.detectVersion("prod"));

    // then
    assertThat(e.getMessage()).contains("8.5.2").contains("orchestrator.clusters.prod.version");
  }

  @Test
  void probeAnsweringBackupRuntimeStateIs89() {
    // given
    server.respond("GET", "/actuator/backupRuntime/state", 200, "{\"checkpointStates\":[],\"backupStates\":[],\"ranges\":[]}");
    HttpTargetClusters clusters = clusters(Map.of("prod", cluster(null, null)));

    // when
    DetectedVersion detected = clusters.detectVersion("prod");

    // then
    assertThat(detected).isEqualTo(new DetectedVersion(CamundaVersion.V8_9, null, "management API probe"));
    assertThat(server.lastRequest().header("Authorization")).startsWith("Basic ");
  }

  @Test
  void probeAnsweringBackupRuntimeButNotStateIs88() {
    // given: 8.8 reads "state" as a malformed backup ID (reference 2.3)
    server.respond("GET", "/actuator/backupRuntime/state", 400,
        "{\"message\":\"Expected a backup ID or prefix ending with '*', but got 'state'.\"}");
    server.respond("GET", "/actuator/backupRuntime", 200, "[]");
    HttpTargetClusters clusters = clusters(Map.of("prod", cluster(null, null)));

    // when
    DetectedVersion detected = clusters.detectVersion("prod");

    // then
    assertThat(detected).isEqualTo(new DetectedVersion(CamundaVersion.V8_8, null, "management API probe"));
  }

  @Test
  void probeAnsweringOnlyBackupsIs87() {
    // given: 8.6 and 8.7 share one API
    server.respond("GET", "/actuator/backups", 200, "[{\"backupId\":1,\"state\":\"COMPLETED\",\"details\":[]}]");
    HttpTargetClusters clusters = clusters(Map.of("prod", cluster(null, null)));

    // when
    DetectedVersion detected = clusters.detectVersion("prod");

    // then
    assertThat(detected).isEqualTo(new DetectedVersion(CamundaVersion.V8_7, null, "management API probe"));
    assertThat(server.requests()).extracting(RecordingHttpServer.RecordedRequest::path)
        .containsExactly("/actuator/backupRuntime/state", "/actuator/backupRuntime", "/actuator/backups");
  }

  @Test
  void probeUsesContextPath() {
    // given
    server.respond("GET", "/camunda/actuator/backups", 200, "[]");
    TargetCluster settings = new TargetCluster(null, management("/camunda"), null, null, null, null, null, null, null,
        Duration.ofSeconds(2), Duration.ofSeconds(1), BackupTimeouts.defaults(), PlatformSettings.manual(), null, null);

    // when
    DetectedVersion detected = clusters(Map.of("prod", settings)).detectVersion("prod");

    // then
    assertThat(detected.flavour()).isEqualTo(CamundaVersion.V8_7);
    assertThat(server.requests()).extracting(RecordingHttpServer.RecordedRequest::path)
        .containsExactly("/camunda/actuator/backupRuntime/state", "/camunda/actuator/backupRuntime", "/camunda/actuator/backups");
  }

  @Test
  void probeWithoutAnIdentifyingAnswerAsksToPinTheVersion() {
    // given: nothing stubbed, every path answers 404
    HttpTargetClusters clusters = clusters(Map.of("prod", cluster(null, null)));

    // when
    ComponentRequestRejectedException e =
        catchThrowableOfType(ComponentRequestRejectedException.class, () -> clusters.detectVersion("prod"));

    // then
    assertThat(e.component()).isEqualTo("zeebe");
    assertThat(e.getMessage())
        .contains("GET backupRuntime/state -> HTTP 404", "GET backups -> HTTP 404")
        .contains("pin orchestrator.clusters.prod.version")
        .doesNotContain(PASSWORD);
  }

  @Test
  void probeWithWrongCredentialsStopsAtOnce() {
    // given
    server.respond("GET", "/actuator/backupRuntime/state", 401, "");
    HttpTargetClusters clusters = clusters(Map.of("prod", cluster(null, null)));

    // when
    ComponentRequestRejectedException e =
        catchThrowableOfType(ComponentRequestRejectedException.class, () -> clusters.detectVersion("prod"));

    // then
    assertThat(e.httpStatus()).isEqualTo(401);
    assertThat(e.getMessage()).contains("credentials of orchestrator.clusters.prod.zeebe").doesNotContain(PASSWORD);
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void probeOfAnUnreachableClusterIsComponentUnavailable() {
    // given
    ManagementEndpoint nowhere = new ManagementEndpoint(
        URI.create("http://127.0.0.1:" + RecordingHttpServer.closedPort()), "", "/actuator", new Credentials("admin", PASSWORD));
    TargetCluster settings = new TargetCluster(null, nowhere, null, null, null, null, null, null, null,
        Duration.ofSeconds(2), Duration.ofSeconds(1), BackupTimeouts.defaults(), PlatformSettings.manual(), null, null);

    // when
    ComponentUnavailableException e =
        catchThrowableOfType(ComponentUnavailableException.class, () -> clusters(Map.of("prod", settings)).detectVersion("prod"));

    // then
    assertThat(e.component()).isEqualTo("zeebe");
    assertThat(e.httpStatus()).isZero();
    assertThat(e.getMessage()).doesNotContain(PASSWORD);
  }

  @Test
  void connectOn87HasOperateAndTasklistButNoWebapps() {
    // given
    server.respond("POST", "/operate/actuator/backups", 200, "{\"scheduledSnapshots\":[\"camunda_operate_5_8.7.0_part_1_of_6\"]}");
    server.respond("POST", "/tasklist/actuator/backups", 200, "{\"scheduledSnapshots\":[\"camunda_tasklist_5_8.7.0_part_1_of_6\"]}");
    HttpTargetClusters clusters = clusters(Map.of("prod", fullCluster()));

    // when
    ClusterConnection connection = clusters.connect("prod", CamundaVersion.V8_7);

    // then
    assertThat(connection.name()).isEqualTo("prod");
    assertThat(connection.version()).isEqualTo(CamundaVersion.V8_7);
    assertThat(connection.webapps()).isEmpty();
    assertThat(connection.operate().orElseThrow().takeBackup(5)).containsExactly("camunda_operate_5_8.7.0_part_1_of_6");
    assertThat(connection.tasklist().orElseThrow().takeBackup(5)).containsExactly("camunda_tasklist_5_8.7.0_part_1_of_6");
  }

  @Test
  void connectOn88HasWebappsButNoOperateOrTasklist() {
    // given
    server.respond("POST", "/actuator/backupHistory", 200, "{\"scheduledSnapshots\":[\"camunda_webapps_5_8.8.0_part_1_of_5\"]}");
    server.respond("POST", "/actuator/backupRuntime", 202, "{\"message\":\"scheduled\"}");
    server.respond("POST", "/actuator/backups", 202, "{\"message\":\"optimize scheduled\"}");
    HttpTargetClusters clusters = clusters(Map.of("prod", fullCluster()));

    // when
    ClusterConnection connection = clusters.connect("prod", CamundaVersion.V8_8);
    connection.webapps().orElseThrow().takeBackup(5);
    connection.zeebe().takeBackup(5);
    connection.optimize().orElseThrow().takeBackup(5);

    // then
    assertThat(connection.operate()).isEmpty();
    assertThat(connection.tasklist()).isEmpty();
    assertThat(connection.gateway()).isPresent();
    assertThat(connection.search()).isPresent();
    assertThat(server.requests()).extracting(r -> r.method() + " " + r.path())
        .containsExactly("POST /actuator/backupHistory", "POST /actuator/backupRuntime", "POST /actuator/backups");
  }

  @Test
  void componentsThatAreNotConfiguredAreEmpty() {
    // given
    HttpTargetClusters clusters = clusters(Map.of("prod", cluster(null, null)));

    // when
    ClusterConnection on86 = clusters.connect("prod", CamundaVersion.V8_6);
    ClusterConnection on89 = clusters.connect("prod", CamundaVersion.V8_9);

    // then
    assertThat(on86.operate()).isEmpty();
    assertThat(on86.tasklist()).isEmpty();
    assertThat(on89.webapps()).isEmpty();
    assertThat(on89.optimize()).isEmpty();
    assertThat(on89.search()).isEmpty();
    assertThat(on89.gateway()).isEmpty();
    assertThat(on89.zeebe()).isNotNull();
  }

  @Test
  void connectionsAreReusedPerClusterAndVersion() {
    // given
    HttpTargetClusters clusters = clusters(Map.of("prod", cluster(null, null)));

    // when
    ClusterConnection first = clusters.connect("prod", CamundaVersion.V8_8);
    ClusterConnection second = clusters.connect("prod", CamundaVersion.V8_8);
    ClusterConnection other = clusters.connect("prod", CamundaVersion.V8_9);

    // then
    assertThat(second).isSameAs(first);
    assertThat(other).isNotSameAs(first);
  }
}
