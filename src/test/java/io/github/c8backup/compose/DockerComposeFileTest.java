package io.github.c8backup.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * docker-compose.yml cannot be started on machines without Docker, so this test reads it and checks
 * that it agrees with the application: what the orchestrator is configured with binds to real
 * properties and reaches the services the file defines, on the ports their images listen on. Each
 * check also runs against an in-memory copy broken on purpose, so none of them passes vacuously.
 */
class DockerComposeFileTest {

  private static final Path COMPOSE_FILE = Path.of("docker-compose.yml");
  private static final Path APPLICATION_YAML = Path.of("src/main/resources/application.yaml");
  private static final String ORCHESTRATOR = "orchestrator";

  private static String composeYaml;
  private static int serverPort;

  @BeforeAll
  static void readFiles() throws IOException {
    composeYaml = Files.readString(COMPOSE_FILE);
    serverPort = serverPort(Files.readString(APPLICATION_YAML));
  }

  /** A fresh, mutable copy of docker-compose.yml for each test. */
  private static ComposeFile compose() {
    return ComposeFile.parse(composeYaml);
  }

  private static List<String> problems(ComposeFile compose) {
    return ComposeAgreement.problems(compose, serverPort);
  }

  @Test
  void composeFileAgreesWithTheApplication() {
    // given
    ComposeFile compose = compose();

    // when
    List<String> problems = problems(compose);

    // then
    assertThat(problems).isEmpty();
  }

  @Test
  void orchestratorIsConfiguredOnlyThroughApplicationVariablesForOneCluster() {
    // given
    ComposeFile compose = compose();

    // when
    Map<String, String> environment = compose.environment(ORCHESTRATOR);

    // then
    assertThat(compose.isBuilt(ORCHESTRATOR)).isTrue();
    assertThat(environment).containsKeys(
        "ORCHESTRATOR_CLUSTERS_DEMO_ZEEBE_URL",
        "ORCHESTRATOR_CLUSTERS_DEMO_SEARCH_SNAPSHOTREPOSITORY",
        "CAMUNDA_CLIENT_GRPCADDRESS",
        "CAMUNDA_CLIENT_RESTADDRESS");
    assertThat(environment.keySet()).allMatch(key -> key.startsWith("ORCHESTRATOR_") || key.startsWith("CAMUNDA_CLIENT_"));
  }

  @Test
  void applicationYamlServesOnPort8088() {
    // the published port in the compose file and the Dockerfile's EXPOSE follow this value
    assertThat(serverPort).isEqualTo(8088);
  }

  // ---------------------------------------------------------------- broken copies

  @Test
  void reportsAnOrchestratorThatPublishesAPortItDoesNotListenOn() {
    // given
    ComposeFile compose = compose();
    compose.setPorts(ORCHESTRATOR, List.of("8088:8080"));

    // when
    List<String> problems = problems(compose);

    // then
    assertThat(problems).singleElement().asString().contains("listens on server.port 8088");
  }

  @Test
  void reportsAVariableThatBindsToNoProperty() {
    // given: a misspelt snapshot-repository (relaxed binding would silently drop it)
    ComposeFile compose = compose();
    compose.putEnvironment(ORCHESTRATOR, "ORCHESTRATOR_CLUSTERS_DEMO_SEARCH_SNAPSHOTREPO", "camunda-backups");

    // when
    List<String> problems = problems(compose);

    // then
    assertThat(problems).singleElement().asString()
        .contains("'orchestrator' does not bind")
        .containsIgnoringCase("snapshotrepo");
  }

  @Test
  void reportsAClientVariableThatBindsToNoProperty() {
    // given
    ComposeFile compose = compose();
    compose.putEnvironment(ORCHESTRATOR, "CAMUNDA_CLIENT_GRPC_ADDRESS_TYPO", "http://camunda-control:26500");

    // when
    List<String> problems = problems(compose);

    // then
    assertThat(problems).singleElement().asString().contains("'camunda.client' does not bind");
  }

  @Test
  void reportsAConfigurationTheApplicationWouldRejectAtStartup() {
    // given: snapshot-repository is @NotBlank
    ComposeFile compose = compose();
    compose.putEnvironment(ORCHESTRATOR, "ORCHESTRATOR_CLUSTERS_DEMO_SEARCH_SNAPSHOTREPOSITORY", " ");

    // when
    List<String> problems = problems(compose);

    // then
    assertThat(problems).anySatisfy(problem -> assertThat(problem).contains("snapshotRepository"));
  }

  @Test
  void reportsAVariableTheApplicationDoesNotRead() {
    // given
    ComposeFile compose = compose();
    compose.putEnvironment(ORCHESTRATOR, "ORCHESTRATR_CLUSTERS_DEMO_SCHEDULE", "R/PT1H");

    // when
    List<String> problems = problems(compose);

    // then
    assertThat(problems).singleElement().asString().contains("ORCHESTRATR_CLUSTERS_DEMO_SCHEDULE");
  }

  @Test
  void reportsAZeebeManagementUrlOnTheRestPort() {
    // given
    ComposeFile compose = compose();
    compose.putEnvironment(ORCHESTRATOR, "ORCHESTRATOR_CLUSTERS_DEMO_ZEEBE_URL", "http://camunda-target:8080");

    // when
    List<String> problems = problems(compose);

    // then
    assertThat(problems).anySatisfy(problem -> assertThat(problem).contains("uses port 8080").contains("on 9600"));
  }

  @Test
  void reportsAUrlToAHostThatIsNoService() {
    // given
    ComposeFile compose = compose();
    compose.putEnvironment(ORCHESTRATOR, "ORCHESTRATOR_CLUSTERS_DEMO_SEARCH_URL", "http://elasticsearch:9200");

    // when
    List<String> problems = problems(compose);

    // then
    assertThat(problems).singleElement().asString().contains("names no service");
  }

  @Test
  void reportsASearchUrlThatIsNotTheTargetsSecondaryStorage() {
    // given: the control engine's Elasticsearch is a real service on the right port, but the wrong one
    ComposeFile compose = compose();
    compose.putEnvironment(ORCHESTRATOR, "ORCHESTRATOR_CLUSTERS_DEMO_SEARCH_URL", "http://elasticsearch-control:9200");

    // when
    List<String> problems = problems(compose);

    // then
    assertThat(problems).anySatisfy(problem -> assertThat(problem).contains("keeps its data in"));
  }

  @Test
  void reportsAControlEngineThatIsTheTarget() {
    // given
    ComposeFile compose = compose();
    compose.putEnvironment(ORCHESTRATOR, "CAMUNDA_CLIENT_GRPCADDRESS", "http://camunda-target:26500");
    compose.putEnvironment(ORCHESTRATOR, "CAMUNDA_CLIENT_RESTADDRESS", "http://camunda-target:8080");

    // when
    List<String> problems = problems(compose);

    // then
    assertThat(problems).singleElement().asString().contains("a cluster being backed up");
  }

  @Test
  void reportsAControlEngineSharingTheTargetsElasticsearch() {
    // given
    ComposeFile compose = compose();
    compose.putEnvironment("camunda-control", "CAMUNDA_DATA_SECONDARYSTORAGE_ELASTICSEARCH_URL",
        "http://elasticsearch-target:9200");

    // when
    List<String> problems = problems(compose);

    // then
    assertThat(problems).singleElement().asString().contains("shares its Elasticsearch with a target");
  }

  @Test
  void reportsControlAddressesOnTwoDifferentServices() {
    // given
    ComposeFile compose = compose();
    compose.putEnvironment(ORCHESTRATOR, "CAMUNDA_CLIENT_RESTADDRESS", "http://camunda-target:8080");

    // when
    List<String> problems = problems(compose);

    // then
    assertThat(problems).singleElement().asString().contains("reaches camunda-target, not camunda-control");
  }

  @Test
  void reportsASnapshotRepositoryTheWebappsDoNotUse() {
    // given
    ComposeFile compose = compose();
    compose.putEnvironment("camunda-target", "CAMUNDA_DATA_BACKUP_REPOSITORYNAME", "other-repository");

    // when
    List<String> problems = problems(compose);

    // then
    assertThat(problems).singleElement().asString().contains("CAMUNDA_DATA_BACKUP_REPOSITORYNAME");
  }

  @Test
  void reportsASnapshotRepositoryNoInitStepRegisters() {
    // given
    ComposeFile compose = compose();
    compose.service("elasticsearch-target-repository").put("command",
        List.of("-X", "PUT", "http://elasticsearch-target:9200/_snapshot/backups",
            "-d", "{\"type\": \"fs\", \"settings\": {\"location\": \"/usr/share/elasticsearch/snapshots\"}}"));

    // when
    List<String> problems = problems(compose);

    // then
    assertThat(problems).singleElement().asString().contains("no init step registers snapshot repository");
  }

  @Test
  void reportsAnFsRepositoryOutsidePathRepo() {
    // given
    ComposeFile compose = compose();
    compose.putEnvironment("elasticsearch-target", "path.repo", "/snapshots");

    // when
    List<String> problems = problems(compose);

    // then
    assertThat(problems).anySatisfy(problem -> assertThat(problem).contains("is not under"));
  }

  @Test
  void reportsABucketNoInitStepCreates() {
    // given
    ComposeFile compose = compose();
    compose.putEnvironment("camunda-target", "CAMUNDA_DATA_BACKUP_S3_BUCKETNAME", "other-bucket");

    // when
    List<String> problems = problems(compose);

    // then
    assertThat(problems).singleElement().asString().contains("no init step creates bucket 'other-bucket'");
  }

  @Test
  void reportsZeebeCredentialsTheS3StoreRejects() {
    // given
    ComposeFile compose = compose();
    compose.putEnvironment("camunda-target", "CAMUNDA_DATA_BACKUP_S3_SECRETKEY", "${ZEEBE_S3_SECRET:-other}");

    // when
    List<String> problems = problems(compose);

    // then
    assertThat(problems).singleElement().asString().contains("access key and secret");
  }

  @Test
  void reportsARecordsExporterTheOrchestratorDoesNotExpect() {
    // given
    ComposeFile compose = compose();
    compose.putEnvironment(ORCHESTRATOR, "ORCHESTRATOR_CLUSTERS_DEMO_SEARCH_RECORDSEXPORTER", "false");

    // when
    List<String> problems = problems(compose);

    // then
    assertThat(problems).singleElement().asString().contains("runs the Elasticsearch exporter");
  }

  @Test
  void reportsAVersionTheTargetImageDoesNotRun() {
    // given
    ComposeFile compose = compose();
    compose.putEnvironment(ORCHESTRATOR, "ORCHESTRATOR_CLUSTERS_DEMO_VERSION", "8.7");

    // when
    List<String> problems = problems(compose);

    // then
    assertThat(problems).singleElement().asString().contains(".version is 8.7");
  }

  @Test
  void reportsTwoServicesOnOneHostPort() {
    // given
    ComposeFile compose = compose();
    compose.setPorts("camunda-control", List.of("8081:8080", "26501:26500", "9600:9600"));

    // when
    List<String> problems = problems(compose);

    // then
    assertThat(problems).singleElement().asString()
        .isEqualTo("host port 9600 is published by both camunda-target and camunda-control");
  }

  @Test
  void reportsASecretWithoutDefault() {
    // given
    ComposeFile compose = compose();
    compose.putEnvironment("s3", "S3PROXY_CREDENTIAL", "${S3_SECRET_KEY}");

    // when
    List<String> problems = problems(compose);

    // then
    assertThat(problems).singleElement().asString().contains("has no default");
  }

  private static int serverPort(String applicationYaml) {
    Map<?, ?> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(applicationYaml);
    Map<?, ?> server = (Map<?, ?>) root.get("server");
    return Integer.parseInt(String.valueOf(server.get("port")));
  }
}
