package io.github.c8backup.cluster;

import io.github.c8backup.cluster.http.JsonHttp;
import io.github.c8backup.cluster.http.JsonHttp.Response;
import io.github.c8backup.cluster.optimize.HttpOptimizeBackupApi;
import io.github.c8backup.cluster.optimize.OptimizeBackupApi;
import io.github.c8backup.cluster.search.HttpSnapshotApi;
import io.github.c8backup.cluster.search.SnapshotApi;
import io.github.c8backup.cluster.webapps.HttpWebappsBackupApi;
import io.github.c8backup.cluster.webapps.WebappsBackupApi;
import io.github.c8backup.cluster.zeebe.HttpZeebeGateway;
import io.github.c8backup.cluster.zeebe.HttpZeebeManagement;
import io.github.c8backup.cluster.zeebe.ZeebeGateway;
import io.github.c8backup.config.CamundaVersion;
import io.github.c8backup.config.Credentials;
import io.github.c8backup.config.ManagementEndpoint;
import io.github.c8backup.config.OrchestratorProperties;
import io.github.c8backup.config.TargetCluster;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The configured clusters and their HTTP clients. Connections are built on first use and kept per
 * cluster and API flavour; the clients hold no state besides the search engine type.
 */
@Component
public class HttpTargetClusters implements TargetClusters {

  static final String SOURCE_CONFIGURATION = "configuration";
  static final String SOURCE_TOPOLOGY = "gateway topology";
  static final String SOURCE_PROBE = "management API probe";

  private final Map<String, TargetCluster> clusters;
  private final Map<String, ClusterConnection> connections = new ConcurrentHashMap<>();

  public HttpTargetClusters(OrchestratorProperties properties) {
    this.clusters = Map.copyOf(Objects.requireNonNull(properties, "properties").clusters());
  }

  @Override
  public Set<String> names() {
    return Collections.unmodifiableSet(new TreeSet<>(clusters.keySet()));
  }

  @Override
  public TargetCluster settings(String cluster) {
    TargetCluster settings = cluster == null ? null : clusters.get(cluster);
    if (settings == null) {
      throw new UnknownClusterException(cluster, names());
    }
    return settings;
  }

  @Override
  public DetectedVersion detectVersion(String cluster) {
    TargetCluster settings = settings(cluster);
    if (settings.version() != null) {
      return new DetectedVersion(settings.version(), null, SOURCE_CONFIGURATION);
    }
    if (settings.zeebeRest() != null) {
      return fromTopology(cluster, settings);
    }
    return probeManagementApi(cluster, settings);
  }

  private DetectedVersion fromTopology(String cluster, TargetCluster settings) {
    String gatewayVersion = gateway(settings).topology().gatewayVersion();
    try {
      return new DetectedVersion(CamundaVersion.parse(gatewayVersion), gatewayVersion, SOURCE_TOPOLOGY);
    } catch (IllegalArgumentException e) {
      throw new ComponentRequestRejectedException(
          "zeebe-gateway",
          200,
          String.valueOf(gatewayVersion),
          "The gateway of cluster '" + cluster + "' reports version '" + gatewayVersion + "': " + e.getMessage()
              + ". Pin orchestrator.clusters." + cluster + ".version if the cluster runs a supported version.");
    }
  }

  /**
   * Only 8.9 answers {@code backupRuntime/state}; 8.8 knows {@code backupRuntime} (and reads
   * "state" as a malformed ID, 400); 8.6 and 8.7 only {@code backups} (reference 0, 2.2). A 2xx
   * decides; 401/403 and 502/503/504 end the probe, since the next path would fail the same way.
   */
  private DetectedVersion probeManagementApi(String cluster, TargetCluster settings) {
    ManagementEndpoint zeebe = settings.zeebe();
    JsonHttp http = http("zeebe", settings, zeebe.credentials());
    List<String> answers = new ArrayList<>();
    record Probe(String path, CamundaVersion version) {}
    for (Probe probe :
        List.of(
            new Probe("backupRuntime/state", CamundaVersion.V8_9),
            new Probe("backupRuntime", CamundaVersion.V8_8),
            new Probe("backups", CamundaVersion.V8_7))) {
      Response response = http.get(zeebe.endpoint(probe.path()));
      if (response.isSuccess()) {
        return new DetectedVersion(probe.version(), null, SOURCE_PROBE);
      }
      if (response.status() == 401 || response.status() == 403) {
        throw http.failure(response, "the credentials of orchestrator.clusters." + cluster + ".zeebe");
      }
      if (JsonHttp.isTransient(response.status())) {
        throw http.failure(response, "that all brokers of cluster '" + cluster + "' are up");
      }
      answers.add("GET " + probe.path() + " -> HTTP " + response.status());
    }
    throw new ComponentRequestRejectedException(
        "zeebe",
        0,
        String.join("; ", answers),
        "Cannot tell the Camunda version of cluster '" + cluster + "' from its management API at "
            + zeebe.endpoint("") + " (" + String.join("; ", answers) + "). Check contextPath/basePath of "
            + "orchestrator.clusters." + cluster + ".zeebe and that a backup store is configured, or pin "
            + "orchestrator.clusters." + cluster + ".version (8.6, 8.7, 8.8 or 8.9).");
  }

  @Override
  public ClusterConnection connect(String cluster, CamundaVersion version) {
    TargetCluster settings = settings(cluster);
    Objects.requireNonNull(version, "version");
    return connections.computeIfAbsent(cluster + "@" + version.name(), key -> build(cluster, settings, version));
  }

  private ClusterConnection build(String cluster, TargetCluster settings, CamundaVersion version) {
    ManagementEndpoint zeebe = settings.zeebe();
    boolean combined = version.hasCombinedWebapps();
    Optional<WebappsBackupApi> operate =
        combined ? Optional.empty() : webapps("operate", settings.operate(), settings, version);
    Optional<WebappsBackupApi> tasklist =
        combined ? Optional.empty() : webapps("tasklist", settings.tasklist(), settings, version);
    Optional<WebappsBackupApi> webapps =
        combined ? webapps("webapps", settings.webapps(), settings, version) : Optional.empty();
    Optional<OptimizeBackupApi> optimize =
        Optional.ofNullable(settings.optimize())
            .map(endpoint -> new HttpOptimizeBackupApi(endpoint, http("optimize", settings, endpoint.credentials())));
    Optional<SnapshotApi> search =
        Optional.ofNullable(settings.search())
            .map(endpoint -> new HttpSnapshotApi(endpoint, http("search", settings, endpoint.credentials())));
    Optional<ZeebeGateway> gateway = settings.zeebeRest() == null ? Optional.empty() : Optional.of(gateway(settings));
    return new ClusterConnection(
        cluster,
        version,
        settings,
        new HttpZeebeManagement(zeebe, version, http("zeebe", settings, zeebe.credentials())),
        gateway,
        operate,
        tasklist,
        webapps,
        optimize,
        search);
  }

  private static Optional<WebappsBackupApi> webapps(
      String component, ManagementEndpoint endpoint, TargetCluster settings, CamundaVersion version) {
    if (endpoint == null) {
      return Optional.empty();
    }
    return Optional.of(
        new HttpWebappsBackupApi(component, endpoint, version, http(component, settings, endpoint.credentials())));
  }

  private static ZeebeGateway gateway(TargetCluster settings) {
    URI rest = settings.zeebeRest();
    return new HttpZeebeGateway(rest, http("zeebe-gateway", settings, settings.zeebeRestCredentials()));
  }

  private static JsonHttp http(String component, TargetCluster settings, Credentials credentials) {
    return JsonHttp.create(component, settings.connectTimeout(), settings.requestTimeout(), credentials);
  }
}
