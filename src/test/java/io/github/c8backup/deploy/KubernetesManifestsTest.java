package io.github.c8backup.deploy;

import static io.github.c8backup.deploy.KubernetesManifests.list;
import static io.github.c8backup.deploy.KubernetesManifests.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.client.spring.properties.CamundaClientProperties;
import io.github.c8backup.config.CamundaVersion;
import io.github.c8backup.config.OrchestratorProperties;
import io.github.c8backup.config.TargetCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.convert.converter.Converter;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * deploy/kubernetes cannot be applied on machines without a cluster, so this test reads it and
 * checks that it agrees with the application and with Camunda's Helm chart (see
 * {@link KubernetesManifestsAgreement}). Each check also runs against an in-memory copy broken on
 * purpose, so none of them passes vacuously. The Role's rules are checked against the restore
 * runtime's requests by {@code RestoreRoleTest}.
 */
class KubernetesManifestsTest {

  private static final Path MANIFESTS = Path.of("deploy/kubernetes");
  private static final Path APPLICATION_YAML = Path.of("src/main/resources/application.yaml");
  private static final Pattern PROJECT_VERSION =
      Pattern.compile("<artifactId>camunda-backup-orchestrator</artifactId>\\s*<version>([^<]+)</version>");

  private static Map<String, Object> applicationDefaults;
  private static String projectVersion;

  @BeforeAll
  static void readApplication() throws IOException {
    applicationDefaults = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(APPLICATION_YAML));
    Matcher version = PROJECT_VERSION.matcher(Files.readString(Path.of("pom.xml")));
    assertThat(version.find()).as("the project's version in pom.xml").isTrue();
    projectVersion = version.group(1);
  }

  /** A fresh, mutable copy of deploy/kubernetes for each test. */
  private static KubernetesManifests manifests() {
    return KubernetesManifests.read(MANIFESTS);
  }

  private static List<String> problems(KubernetesManifests manifests) {
    return KubernetesManifestsAgreement.problems(manifests, applicationDefaults, projectVersion);
  }

  @Test
  void manifestsAgreeWithTheApplicationAndTheHelmChart() {
    // given
    KubernetesManifests manifests = manifests();

    // when
    List<String> problems = problems(manifests);

    // then
    assertThat(problems).isEmpty();
  }

  @Test
  void theOrchestratorStartsWithTheConfigMapAndTheSecretAsItsConfiguration() {
    // given: application.yaml as a property source, the Deployment's environment as the system environment
    KubernetesManifests manifests = manifests();
    Map<String, Object> environment = new HashMap<>();
    Map<String, String> secret = manifests.secretExampleValues();
    for (Object item : list(manifests.container().get("env"))) {
      Map<String, Object> variable = map(item);
      Object key = map(map(variable.get("valueFrom")).get("secretKeyRef")).get("key");
      environment.put(String.valueOf(variable.get("name")), key == null ? variable.get("value") : secret.get(key));
    }
    List<String> configuration = new ArrayList<>();
    KubernetesManifestsAgreement.flatten(manifests.configuration()).forEach((k, v) -> configuration.add(k + "=" + v));

    // when / then
    runner()
        .withPropertyValues(configuration.toArray(String[]::new))
        .withInitializer(context -> context.getEnvironment().getPropertySources()
            .addFirst(new SystemEnvironmentPropertySource("deployment-systemEnvironment", environment)))
        .run(context -> {
          assertThat(context).hasNotFailed();
          TargetCluster prod = context.getBean(OrchestratorProperties.class).clusters().get("prod");
          assertThat(prod.platform().type()).isEqualTo("kubernetes");
          assertThat(prod.platform().kubernetes().release()).isEqualTo("camunda");
          assertThat(prod.zeebe().endpoint("backupRuntime")).hasToString("http://camunda-zeebe-gateway:9600/actuator/backupRuntime");
          assertThat(prod.search().credentials().username()).isEqualTo(secret.get("search-username"));
          assertThat(prod.search().credentials().password()).isEqualTo(secret.get("search-password"));
          CamundaClientProperties client = context.getBean(CamundaClientProperties.class);
          assertThat(client.getAuth().getUsername()).isEqualTo(secret.get("control-username"));
          assertThat(client.getAuth().getPassword()).isEqualTo(secret.get("control-password"));
        });
  }

  @Configuration
  @EnableConfigurationProperties({OrchestratorProperties.class, CamundaClientProperties.class})
  @Import(CamundaVersionConversion.class)
  static class Properties {}

  /** The application's own converter is package-private; this one does the same. */
  @ConfigurationPropertiesBinding
  static class CamundaVersionConversion implements Converter<String, CamundaVersion> {

    @Override
    public CamundaVersion convert(String source) {
      return CamundaVersion.parse(source);
    }
  }

  private static ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
        .withUserConfiguration(Properties.class);
  }

  // ---------------------------------------------------------------- broken copies: configuration

  @Test
  void reportsAConfigMapKeyThatBindsToNoProperty() {
    // given: a misspelt key next to the right one (Spring would silently ignore it)
    KubernetesManifests manifests = manifests();
    cluster(manifests, "search").put("snapshot-repo", "camunda-backups");

    // when
    List<String> problems = problems(manifests);

    // then
    assertThat(problems).singleElement().asString()
        .contains("'orchestrator' does not bind")
        .contains("orchestrator.clusters.prod.search.snapshot-repo");
  }

  @Test
  void reportsAClusterThatIsNotOnTheKubernetesPlatform() {
    // given
    KubernetesManifests manifests = manifests();
    cluster(manifests, "platform").put("type", "manual");

    // when
    List<String> problems = problems(manifests);

    // then
    assertThat(problems).singleElement().asString().contains(".platform.type is 'manual', not kubernetes");
  }

  @Test
  void reportsOptimizeOnItsUiPortInsteadOfItsManagementPort() {
    // given
    KubernetesManifests manifests = manifests();
    clusterSettings(manifests).put("optimize", new LinkedHashMap<>(Map.of("url", "http://camunda-optimize:80")));

    // when
    List<String> problems = problems(manifests);

    // then
    assertThat(problems).singleElement().asString()
        .contains("uses port 80 but Service camunda-optimize serves port management on 8092");
  }

  @Test
  void reportsAManagementUrlOfAnotherRelease() {
    // given
    KubernetesManifests manifests = manifests();
    cluster(manifests, "zeebe").put("url", "http://other-zeebe-gateway:9600");

    // when
    List<String> problems = problems(manifests);

    // then
    assertThat(problems).singleElement().asString()
        .contains("is not the chart's Service camunda-zeebe-gateway in namespace camunda");
  }

  @Test
  void reportsAControlEngineThatIsTheClusterBeingBackedUp() {
    // given
    KubernetesManifests manifests = manifests();
    Map<String, Object> client = map(map(manifests.configuration().get("camunda")).get("client"));
    client.put("grpc-address", "http://camunda-zeebe-gateway.camunda.svc:26500");
    client.put("rest-address", "http://camunda-zeebe-gateway.camunda.svc:8080");

    // when
    List<String> problems = problems(manifests);

    // then
    assertThat(problems).singleElement().asString().contains("a cluster being backed up");
  }

  // ---------------------------------------------------------------- broken copies: secrets

  @Test
  void reportsASecretInTheConfigMap() {
    // given
    KubernetesManifests manifests = manifests();
    cluster(manifests, "zeebe").put("credentials", new LinkedHashMap<>(Map.of("username", "backup", "password", "hunter2")));

    // when
    List<String> problems = problems(manifests);

    // then
    assertThat(problems).singleElement().asString()
        .startsWith("application.yaml sets orchestrator.clusters.prod.zeebe.credentials.password, a secret");
  }

  @Test
  void reportsASecretValueCopiedIntoTheConfigMap() {
    // given
    KubernetesManifests manifests = manifests();
    cluster(manifests, "zeebe").put("context-path", "/" + manifests.secretExampleValues().get("control-password"));

    // when
    List<String> problems = problems(manifests);

    // then
    assertThat(problems).singleElement().asString()
        .isEqualTo("application.yaml holds the Secret's value of orchestrator.clusters.prod.zeebe.context-path");
  }

  @Test
  void reportsASecretKeyTheExampleSecretDoesNotHave() {
    // given
    KubernetesManifests manifests = manifests();
    secretKeyRef(manifests, "ORCHESTRATOR_CLUSTERS_PROD_SEARCH_CREDENTIALS_PASSWORD").put("key", "search-pass");

    // when
    List<String> problems = problems(manifests);

    // then
    assertThat(problems)
        .anySatisfy(problem -> assertThat(problem).contains("reads key search-pass, which secret.example.yaml does not have"))
        .anySatisfy(problem -> assertThat(problem).contains("has key search-password, which no env var reads"));
  }

  @Test
  void reportsASecretVariableThatBindsToNoProperty() {
    // given: CREDENTIAL for CREDENTIALS
    KubernetesManifests manifests = manifests();
    env(manifests, "ORCHESTRATOR_CLUSTERS_PROD_SEARCH_CREDENTIALS_PASSWORD")
        .put("name", "ORCHESTRATOR_CLUSTERS_PROD_SEARCH_CREDENTIAL_PASSWORD");

    // when
    List<String> problems = problems(manifests);

    // then
    assertThat(problems).anySatisfy(problem -> assertThat(problem)
        .contains("'orchestrator' does not bind").containsIgnoringCase("credential.password"));
  }

  @Test
  void reportsASettingThatComesFromTheSecretButIsNoCredential() {
    // given
    KubernetesManifests manifests = manifests();
    map(manifests.secretExample().get("stringData")).put("schedule", "0 0 3 * * *");
    list(manifests.container().get("env")).add(new LinkedHashMap<>(Map.of("name", "ORCHESTRATOR_CLUSTERS_PROD_SCHEDULE",
        "valueFrom", Map.of("secretKeyRef", Map.of("name", "camunda-backup-orchestrator", "key", "schedule")))));

    // when
    List<String> problems = problems(manifests);

    // then
    assertThat(problems).singleElement().asString()
        .contains("ORCHESTRATOR_CLUSTERS_PROD_SCHEDULE comes from the Secret but sets orchestrator.clusters.prod.schedule");
  }

  @Test
  void reportsTheExampleSecretAmongTheAppliedResources() {
    // given
    KubernetesManifests manifests = manifests();
    list(manifests.kustomization().get("resources")).add("secret.example.yaml");

    // when
    List<String> problems = problems(manifests);

    // then
    assertThat(problems).singleElement().asString().contains("placeholders would become the real Secret");
  }

  // ---------------------------------------------------------------- broken copies: deployment

  @Test
  void reportsAProbeOnAPathTheApplicationDoesNotServe() {
    // given
    KubernetesManifests manifests = manifests();
    map(map(manifests.container().get("livenessProbe")).get("httpGet")).put("path", "/health");

    // when
    List<String> problems = problems(manifests);

    // then
    assertThat(problems).singleElement().asString()
        .isEqualTo("livenessProbe asks /health but the application serves /actuator/health/liveness");
  }

  @Test
  void reportsAProbeOnAPortTheApplicationDoesNotListenOn() {
    // given
    KubernetesManifests manifests = manifests();
    map(map(manifests.container().get("readinessProbe")).get("httpGet")).put("port", 8080);

    // when
    List<String> problems = problems(manifests);

    // then
    assertThat(problems).singleElement().asString().contains("readinessProbe asks port 8080 (8080) but the actuator is on 8088");
  }

  @Test
  void reportsProbesTheConfigurationSwitchesOff() {
    // given
    KubernetesManifests manifests = manifests();
    manifests.configuration().put("management", new LinkedHashMap<>(Map.of("endpoint",
        Map.of("health", Map.of("probes", Map.of("enabled", false))))));

    // when
    List<String> problems = problems(manifests);

    // then
    assertThat(problems).singleElement().asString().startsWith("management.endpoint.health.probes.enabled is not true");
  }

  @Test
  void reportsAConfigurationLocationThatIsNotTheMountedConfigMap() {
    // given
    KubernetesManifests manifests = manifests();
    env(manifests, "SPRING_CONFIG_ADDITIONAL_LOCATION").put("value", "optional:file:/etc/orchestrator/");

    // when
    List<String> problems = problems(manifests);

    // then
    assertThat(problems).singleElement().asString().contains("is mounted at [/config/]");
  }

  @Test
  void reportsADeploymentRunningAsAnotherServiceAccount() {
    // given
    KubernetesManifests manifests = manifests();
    manifests.podSpec().put("serviceAccountName", "default");

    // when
    List<String> problems = problems(manifests);

    // then
    assertThat(problems).singleElement().asString()
        .isEqualTo("the Deployment runs as service account default but the manifests create camunda-backup-orchestrator");
  }

  @Test
  void reportsARoleBindingToAnotherRole() {
    // given
    KubernetesManifests manifests = manifests();
    map(manifests.resource("RoleBinding").orElseThrow().get("roleRef")).put("name", "edit");

    // when
    List<String> problems = problems(manifests);

    // then
    assertThat(problems).singleElement().asString().contains("refers to Role edit, not Role camunda-backup-orchestrator");
  }

  @Test
  void reportsAResourceThatNamesANamespace() {
    // given
    KubernetesManifests manifests = manifests();
    map(manifests.resource("Role").orElseThrow().get("metadata")).put("namespace", "camunda");

    // when
    List<String> problems = problems(manifests);

    // then
    assertThat(problems).singleElement().asString().startsWith("Role camunda-backup-orchestrator names namespace camunda");
  }

  @Test
  void reportsAnImageThatIsNotPinned() {
    // given
    KubernetesManifests manifests = manifests();
    manifests.container().put("image", "ghcr.io/c8backup/camunda-backup-orchestrator:latest");

    // when
    List<String> problems = problems(manifests);

    // then
    assertThat(problems).singleElement().asString().contains("is not pinned to a version");
  }

  @Test
  void reportsMoreThanOneReplica() {
    // given
    KubernetesManifests manifests = manifests();
    map(manifests.deployment().get("spec")).put("replicas", 2);

    // when
    List<String> problems = problems(manifests);

    // then
    assertThat(problems).singleElement().asString().contains("runs 2 replicas");
  }

  @Test
  void reportsAWritableRootFileSystem() {
    // given
    KubernetesManifests manifests = manifests();
    map(manifests.container().get("securityContext")).put("readOnlyRootFilesystem", false);

    // when
    List<String> problems = problems(manifests);

    // then
    assertThat(problems).singleElement().asString().contains("readOnlyRootFilesystem");
  }

  // ---------------------------------------------------------------- helpers

  private static Map<String, Object> clusterSettings(KubernetesManifests manifests) {
    return map(map(map(manifests.configuration().get("orchestrator")).get("clusters")).get("prod"));
  }

  private static Map<String, Object> cluster(KubernetesManifests manifests, String key) {
    return map(clusterSettings(manifests).get(key));
  }

  private static Map<String, Object> env(KubernetesManifests manifests, String name) {
    return list(manifests.container().get("env")).stream().map(KubernetesManifests::map)
        .filter(variable -> name.equals(variable.get("name"))).findFirst().orElseThrow();
  }

  private static Map<String, Object> secretKeyRef(KubernetesManifests manifests, String name) {
    return map(map(env(manifests, name).get("valueFrom")).get("secretKeyRef"));
  }
}
