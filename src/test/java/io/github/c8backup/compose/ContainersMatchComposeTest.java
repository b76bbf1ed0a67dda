package io.github.c8backup.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.c8backup.containers.CamundaTargetStack;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Docker end-to-end tests start docker-compose.yml's target cluster with Testcontainers
 * ({@link CamundaTargetStack}) rather than with Compose, so that a restore can replace Camunda's
 * container and data volume. This test needs no Docker and keeps the two equal: what passes there
 * is what a user gets from {@code docker compose up}.
 */
class ContainersMatchComposeTest {

  private static final ComposeFile COMPOSE = ComposeFile.read(Path.of("docker-compose.yml"));

  @Test
  void usesTheImagesComposeDefaultsTo() {
    assertThat(CamundaTargetStack.CAMUNDA_IMAGE).isEqualTo(COMPOSE.image("camunda-target"));
    assertThat(CamundaTargetStack.ELASTICSEARCH_IMAGE).isEqualTo(COMPOSE.image("elasticsearch-target"));
    assertThat(CamundaTargetStack.S3PROXY_IMAGE).isEqualTo(COMPOSE.image("s3"));
  }

  @Test
  void configuresEachContainerAsComposeConfiguresItsService() {
    assertThat(CamundaTargetStack.camundaEnvironment()).containsExactlyInAnyOrderEntriesOf(COMPOSE.environment("camunda-target"));
    assertThat(CamundaTargetStack.elasticsearchEnvironment()).containsExactlyInAnyOrderEntriesOf(COMPOSE.environment("elasticsearch-target"));
    assertThat(CamundaTargetStack.s3Environment()).containsExactlyInAnyOrderEntriesOf(COMPOSE.environment("s3"));
  }

  @Test
  void keepsBrokerDataWhereComposeMountsItsVolume() {
    assertThat(COMPOSE.volumeMounts("camunda-target")).containsKey(CamundaTargetStack.DATA_PATH);
    assertThat(COMPOSE.ports("camunda-target")).extracting(ComposeFile.PublishedPort::containerPort)
        .containsExactlyInAnyOrder(8080, 26500, 9600);
  }

  @Test
  void registersTheRepositoryAndCreatesTheBucketComposeDoes() {
    assertThat(COMPOSE.commandLine("elasticsearch-target-repository"))
        .contains("/_snapshot/" + CamundaTargetStack.SNAPSHOT_REPOSITORY + " ")
        .contains("\"location\": \"" + CamundaTargetStack.SNAPSHOTS_PATH + "/" + CamundaTargetStack.SNAPSHOT_REPOSITORY + "\"");
    assertThat(COMPOSE.commandLine("s3-bucket")).contains("--bucket " + CamundaTargetStack.BUCKET + " ");
  }

  @Test
  void runsTheRestoreApplicationWithTheBrokersConfigurationUnderTheRestoreProfile() {
    Map<String, String> restore = CamundaTargetStack.restoreEnvironment();

    assertThat(restore).containsEntry("SPRING_PROFILES_ACTIVE", "restore");
    assertThat(restore).containsAllEntriesOf(withoutProfile(COMPOSE.environment("camunda-target")));
    assertThat(restore).hasSameSizeAs(COMPOSE.environment("camunda-target"));
  }

  private static Map<String, String> withoutProfile(Map<String, String> environment) {
    environment.remove("SPRING_PROFILES_ACTIVE");
    return environment;
  }
}
