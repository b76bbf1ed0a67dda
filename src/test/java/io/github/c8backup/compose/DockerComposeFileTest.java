package io.github.c8backup.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.c8backup.image.JibImage;
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
 * properties and reaches the services the file defines, on the ports their images listen on, and the
 * orchestrator runs the image pom.xml builds. Each check also runs against an in-memory copy broken
 * on purpose, so none of them passes vacuously.
 */
class DockerComposeFileTest {

  private static final Path COMPOSE_FILE = Path.of("docker-compose.yml");
  private static final Path APPLICATION_YAML = Path.of("src/main/resources/application.yaml");
  private static final String ORCHESTRATOR = "orchestrator";
  private static final String OPTIMIZE = "optimize";

  private static String composeYaml;
  private static int serverPort;
  private static JibImage image;

  @BeforeAll
  static void readFiles() throws IOException {
    composeYaml = Files.readString(COMPOSE_FILE);
    serverPort = serverPort(Files.readString(APPLICATION_YAML));
    image = JibImage.read(Path.of("pom.xml"));
  }

  /** A fresh, mutable copy of docker-compose.yml for each test. */
  private static ComposeFile compose() {
    return ComposeFile.parse(composeYaml);
  }

  private static List<String> problems(ComposeFile compose) {
    return ComposeAgreement.problems(compose, serverPort, image);
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
  void orchestratorRunsThePomsImageConfiguredOnlyThroughApplicationVariablesForOneClusterWithOptimize() {
    // given
    ComposeFile compose = compose();

    // when
    Map<String, String> environment = compose.environment(ORCHESTRATOR);

    // then
    assertThat(compose.image(ORCHESTRATOR)).isEqualTo(image.image());
    assertThat(compose.isBuilt(ORCHESTRATOR)).isFalse();
    assertThat(environment).containsKeys(
        "ORCHESTRATOR_CLUSTERS_DEMO_ZEEBE_URL",
        "ORCHESTRATOR_CLUSTERS_DEMO_OPTIMIZE_URL",
        "ORCHESTRATOR_CLUSTERS_DEMO_SEARCH_SNAPSHOTREPOSITORY",
        "CAMUNDA_CLIENT_GRPCADDRESS",
        "CAMUNDA_CLIENT_RESTADDRESS");
    assertThat(environment.keySet()).allMatch(key -> key.startsWith("ORCHESTRATOR_") || key.startsWith("CAMUNDA_CLIENT_"));
  }

  @Test
  void applicationYamlServesOnPort8088() {
    // the published port in the compose file and the port the image exposes follow this value
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
  void reportsAVersionTheTargetAndOptimizeImagesDoNotRun() {
    // given
    ComposeFile compose = compose();
    compose.putEnvironment(ORCHESTRATOR, "ORCHESTRATOR_CLUSTERS_DEMO_VERSION", "8.7");

    // when
    List<String> problems = problems(compose);

    // then
    assertThat(problems).hasSize(2).allSatisfy(problem -> assertThat(problem).contains(".version is 8.7"))
        .anySatisfy(problem -> assertThat(problem).contains("camunda-target runs camunda/camunda:8.8"))
        .anySatisfy(problem -> assertThat(problem).contains("optimize runs camunda/optimize:8.8"));
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

  @Test
  void reportsAServiceBuiltFromADockerfile() {
    // given
    ComposeFile compose = compose();
    compose.service(ORCHESTRATOR).put("build", ".");

    // when
    List<String> problems = problems(compose);

    // then
    assertThat(problems).singleElement().asString().contains("orchestrator is built from a Dockerfile");
  }

  @Test
  void reportsAnOrchestratorImageOtherThanThePomBuilds() {
    // given: an older tag, as after a version bump in pom.xml alone
    ComposeFile compose = compose();
    compose.service(ORCHESTRATOR).put("image", "ghcr.io/c8backup/camunda-backup-orchestrator:0.0.9");

    // when
    List<String> problems = problems(compose);

    // then
    assertThat(problems).singleElement().asString()
        .contains("expected exactly one service running " + image.image());
  }

  @Test
  void reportsAServerPortTheImageDoesNotExpose() {
    // given: consistent within the compose file, but the image declares 8088
    ComposeFile compose = compose();
    compose.putEnvironment(ORCHESTRATOR, "SERVER_PORT", "9090");
    compose.setPorts(ORCHESTRATOR, List.of("9090:9090"));

    // when
    List<String> problems = problems(compose);

    // then
    assertThat(problems).singleElement().asString().contains("the image exposes [8088]");
  }

  @Test
  void reportsAnOptimizeUrlOnItsUiPort() {
    // given: 8090 is Optimize's web UI; the backups API is on the management port
    ComposeFile compose = compose();
    compose.putEnvironment(ORCHESTRATOR, "ORCHESTRATOR_CLUSTERS_DEMO_OPTIMIZE_URL", "http://optimize:8090");

    // when
    List<String> problems = problems(compose);

    // then
    assertThat(problems).anySatisfy(problem -> assertThat(problem).contains("uses port 8090").contains("on 8092"));
  }

  @Test
  void reportsAnOptimizeNoClusterBacksUp() {
    // given
    ComposeFile compose = compose();
    compose.removeEnvironment(ORCHESTRATOR, "ORCHESTRATOR_CLUSTERS_DEMO_OPTIMIZE_URL");

    // when
    List<String> problems = problems(compose);

    // then
    assertThat(problems).singleElement().asString().contains("optimize runs Optimize, but no orchestrator.clusters");
  }

  @Test
  void reportsAnOptimizeOnAnotherElasticsearch() {
    // given
    ComposeFile compose = compose();
    compose.putEnvironment(OPTIMIZE, "OPTIMIZE_ELASTICSEARCH_HOST", "elasticsearch-control");

    // when
    List<String> problems = problems(compose);

    // then
    assertThat(problems).singleElement().asString().contains("keeps its data in elasticsearch-control:9200");
  }

  @Test
  void reportsAnOptimizeBackingUpIntoAnotherRepository() {
    // given
    ComposeFile compose = compose();
    compose.putEnvironment(OPTIMIZE, "CAMUNDA_OPTIMIZE_BACKUP_REPOSITORY_NAME", "optimize-backups");

    // when
    List<String> problems = problems(compose);

    // then
    assertThat(problems).singleElement().asString().contains("backs up into 'optimize-backups'");
  }

  @Test
  void reportsAnOptimizeVersionOtherThanTheClusters() {
    // given
    ComposeFile compose = compose();
    compose.service(OPTIMIZE).put("image", "camunda/optimize:8.7.20");

    // when
    List<String> problems = problems(compose);

    // then
    assertThat(problems).singleElement().asString().contains(".version is 8.8 but optimize runs camunda/optimize:8.7.20");
  }

  private static int serverPort(String applicationYaml) {
    Map<?, ?> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(applicationYaml);
    Map<?, ?> server = (Map<?, ?>) root.get("server");
    return Integer.parseInt(String.valueOf(server.get("port")));
  }
}
