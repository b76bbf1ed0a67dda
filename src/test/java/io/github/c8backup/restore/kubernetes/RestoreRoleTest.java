package io.github.c8backup.restore.kubernetes;

import static io.github.c8backup.restore.kubernetes.HelmChartFixtures.BROKERS;
import static io.github.c8backup.restore.kubernetes.HelmChartFixtures.CLUSTER;
import static io.github.c8backup.restore.kubernetes.HelmChartFixtures.NAMESPACE;
import static io.github.c8backup.restore.kubernetes.HelmChartFixtures.brokerPod;
import static io.github.c8backup.restore.kubernetes.HelmChartFixtures.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.github.c8backup.config.CamundaVersion;
import io.github.c8backup.restore.ClusterPlatform.BrokerRestore.State;
import io.github.c8backup.restore.kubernetes.RoleAgreement.Permission;
import io.github.c8backup.restore.kubernetes.RoleAgreement.Request;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Role in deploy/kubernetes/role.yaml grants exactly what the Kubernetes restore runtime asks
 * the API server for: whole restores run against the fabric8 mock server, every request they send
 * is mapped to its RBAC verb and resource, and the Role must grant each of them and nothing else.
 * The fixtures' and simulated controllers' own requests are not counted.
 */
@EnableKubernetesMockClient(crud = true)
class RestoreRoleTest {

  private static final Path ROLE = Path.of("deploy/kubernetes/role.yaml");
  private static final long BACKUP_ID = 42;
  private static final String RESTORE_LOG = "Successfully restored broker from backup 42\n";

  // a fresh in-memory API server per test, set by the extension
  private KubernetesMockServer server;
  private KubernetesClient client;

  private final List<Request> sent = new ArrayList<>();

  @Test
  void roleGrantsExactlyWhatAWholeRestoreOf88Sends() throws IOException {
    // given
    HelmChartFixtures.install88(client);
    // when: a plan, then a restore in which one broker's Job fails (its log is read for the reason)
    wholeRestore(CamundaVersion.V8_8, false);
    // then
    assertThat(RoleAgreement.problems(role(), sent, NAMESPACE)).isEmpty();
    assertThat(permissions()).contains(
        new Permission("apps", "statefulsets", "patch"),
        new Permission("", "pods/log", "get"),
        new Permission("", "persistentvolumeclaims", "delete"),
        new Permission("batch", "jobs", "list"));
  }

  @Test
  void roleGrantsExactlyWhatAWholeRestoreOf86Sends() throws IOException {
    // given: 8.6 stops the gateway and Operate Deployments too, and runs the Zeebe restore binary
    HelmChartFixtures.install86(client);
    // when
    wholeRestore(CamundaVersion.V8_6, true);
    // then
    assertThat(RoleAgreement.problems(role(), sent, NAMESPACE)).isEmpty();
  }

  // ---------------------------------------------------------------- the comparison can fail

  @Test
  void reportsAPermissionTheRoleLacks() throws IOException {
    // given
    HelmChartFixtures.install88(client);
    wholeRestore(CamundaVersion.V8_8, true);
    Map<String, Object> role = role();
    rule(role, "jobs").put("verbs", List.of("get", "create", "delete"));
    // when
    List<String> problems = RoleAgreement.problems(role, sent, NAMESPACE);
    // then
    assertThat(problems).singleElement().asString()
        .startsWith("the runtime needs list batch/jobs (e.g. GET /apis/batch/v1/namespaces/camunda/jobs)");
  }

  @Test
  void reportsAPermissionTheRuntimeNeverUses() throws IOException {
    // given
    HelmChartFixtures.install88(client);
    wholeRestore(CamundaVersion.V8_8, true);
    Map<String, Object> role = role();
    rule(role, "pods").put("verbs", List.of("get", "list", "watch"));
    // when
    List<String> problems = RoleAgreement.problems(role, sent, NAMESPACE);
    // then
    assertThat(problems).singleElement().asString().isEqualTo("the Role grants get pods but the runtime never uses it");
  }

  @Test
  void countsTheWatchFabric8SometimesSendsWhenReadingAPodLog() throws IOException {
    // given: a run in which getLog's informer was cancelled before it watched
    HelmChartFixtures.install88(client);
    wholeRestore(CamundaVersion.V8_8, true);
    sent.removeIf(request -> request.path().contains("watch=true"));
    Map<String, Object> role = role();
    rule(role, "pods").put("verbs", List.of("list"));
    // when
    List<String> problems = RoleAgreement.problems(role, sent, NAMESPACE);
    // then
    assertThat(problems).singleElement().asString().startsWith("the runtime needs watch pods");
  }

  @Test
  void reportsAWildcard() throws IOException {
    // given
    HelmChartFixtures.install88(client);
    wholeRestore(CamundaVersion.V8_8, true);
    Map<String, Object> role = role();
    rule(role, "jobs").put("verbs", List.of("*"));
    // when
    List<String> problems = RoleAgreement.problems(role, sent, NAMESPACE);
    // then
    assertThat(problems).anySatisfy(problem -> assertThat(problem).contains("uses a wildcard"));
  }

  @Test
  void reportsARequestOutsideTheReleaseNamespace() throws IOException {
    // given
    List<Request> requests = List.of(new Request("GET", "/apis/apps/v1/namespaces/other/statefulsets/prod-zeebe"));
    // when
    List<String> problems = RoleAgreement.problems(role(), requests, NAMESPACE);
    // then
    assertThat(problems).anySatisfy(problem -> assertThat(problem).contains("outside namespace camunda"));
  }

  @Test
  void mapsRequestsToRbacVerbsAsTheApiServerDoes() {
    assertThat(new Request("GET", "/apis/apps/v1/namespaces/camunda/statefulsets/prod-zeebe").permission())
        .hasToString("get apps/statefulsets");
    assertThat(new Request("GET", "/api/v1/namespaces/camunda/pods?labelSelector=job-name%3Dx").permission())
        .hasToString("list pods");
    assertThat(new Request("GET", "/api/v1/namespaces/camunda/pods?watch=true").permission()).hasToString("watch pods");
    assertThat(new Request("GET", "/api/v1/namespaces/camunda/pods/p-0/log?pretty=false").permission())
        .hasToString("get pods/log");
    assertThat(new Request("PATCH", "/apis/apps/v1/namespaces/camunda/statefulsets/prod-zeebe/scale").permission())
        .hasToString("patch apps/statefulsets/scale");
    assertThat(new Request("POST", "/apis/batch/v1/namespaces/camunda/jobs").permission()).hasToString("create batch/jobs");
    assertThat(new Request("PUT", "/apis/batch/v1/namespaces/camunda/jobs/j").permission()).hasToString("update batch/jobs");
    assertThat(new Request("DELETE", "/api/v1/namespaces/camunda/persistentvolumeclaims/c").permission())
        .hasToString("delete persistentvolumeclaims");
    assertThat(new Request("DELETE", "/api/v1/namespaces/camunda/persistentvolumeclaims").permission())
        .hasToString("deletecollection persistentvolumeclaims");
    assertThat(new Request("GET", "/api/v1/namespaces/camunda").permission()).hasToString("get namespaces");
    assertThat(new Request("GET", "/version").permission()).isNull();
  }

  // ---------------------------------------------------------------- helpers

  /**
   * Every step of the runtime as the restore process calls them, each step's requests recorded:
   * the plan, the stop (polled while pods remain), the broker restore (polled while Jobs run), and
   * the start.
   */
  private void wholeRestore(CamundaVersion version, boolean everyBrokerSucceeds) {
    KubernetesPlatform platform = new KubernetesPlatform(CLUSTER, cluster(version), client);
    client.pods().resource(brokerPod(0)).create();
    runtime(p -> p.describe(BACKUP_ID, 3), platform);
    runtime(KubernetesPlatform::stopComponents, platform);
    SimulatedControllers.scaledDown(client);
    runtime(p -> assertThat(p.componentsStopped()).as("broker pod 0 still terminating").isFalse(), platform);
    client.pods().inNamespace(NAMESPACE).withName(BROKERS + "-0").delete();
    runtime(p -> assertThat(p.componentsStopped()).isTrue(), platform);
    runtime(p -> p.startBrokerRestore(BACKUP_ID), platform);
    runtime(p -> assertThat(p.brokerRestore(BACKUP_ID).state()).isEqualTo(State.IN_PROGRESS), platform);
    for (int nodeId = 0; nodeId < 3; nodeId++) {
      boolean succeeds = everyBrokerSucceeds || nodeId != 2;
      SimulatedControllers.restoreJobFinished(client, server, BACKUP_ID, nodeId, succeeds,
          succeeds ? RESTORE_LOG : "Brokers's data directory is not empty. Aborting restore\n");
    }
    State expected = everyBrokerSucceeds ? State.COMPLETED : State.FAILED;
    runtime(p -> assertThat(p.brokerRestore(BACKUP_ID).state()).isEqualTo(expected), platform);
    runtime(KubernetesPlatform::startComponents, platform);
    assertThat(client.apps().statefulSets().inNamespace(NAMESPACE).withName(BROKERS).get().getSpec().getReplicas())
        .as("brokers started again").isEqualTo(3);
  }

  /** Runs one step and records the requests it sent; what fixtures sent before is dropped. */
  private void runtime(Consumer<KubernetesPlatform> step, KubernetesPlatform platform) {
    SimulatedControllers.takeRequests(server);
    step.accept(platform);
    SimulatedControllers.takeRequests(server).forEach(r -> sent.add(new Request(r.getMethod(), r.getPath())));
  }

  private List<Permission> permissions() {
    return sent.stream().map(Request::permission).distinct().toList();
  }

  private static Map<String, Object> role() throws IOException {
    return new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(ROLE));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> rule(Map<String, Object> role, String resource) {
    return ((List<Map<String, Object>>) role.get("rules")).stream()
        .filter(rule -> ((List<?>) rule.get("resources")).contains(resource))
        .findFirst().orElseThrow();
  }
}
