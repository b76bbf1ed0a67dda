package io.github.c8backup.containers;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.c8backup.restore.ClusterPlatform.BrokerRestore;
import io.github.c8backup.restore.ClusterPlatform.BrokerRestore.State;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The restore platform of the Docker end-to-end tests, on fake containers: runs everywhere, so its
 * reading of the restore application is checked before the first run on a machine with Docker.
 */
class ContainersPlatformTest {

  private static final long BACKUP = 1_760_000_000L;
  private static final String SUCCESS = "Successfully restored broker from backup " + BACKUP;

  private final FakeContainers containers = new FakeContainers();
  private final ContainersPlatform platform = new ContainersPlatform(containers);

  @Test
  void reportsNotStartedBeforeAndInProgressWhileTheRestoreApplicationRuns() {
    // given
    BrokerRestore before = platform.brokerRestore(BACKUP);
    containers.stopCamunda();

    // when
    platform.startBrokerRestore(BACKUP);

    // then
    assertThat(before.state()).isEqualTo(State.NOT_STARTED);
    assertThat(platform.brokerRestore(BACKUP).state()).isEqualTo(State.IN_PROGRESS);
    assertThat(containers.restoresStarted).containsExactly(BACKUP);
  }

  @Test
  void completesOnlyWithExitCodeZeroAndTheSuccessLine() {
    // given
    containers.stopCamunda();
    platform.startBrokerRestore(BACKUP);

    // when
    containers.exit(0, "Restoring partition 1\nINFO  Successfully restored partition 1 from backup " + BACKUP + "\nINFO  " + SUCCESS + "\n");

    // then
    BrokerRestore restore = platform.brokerRestore(BACKUP);
    assertThat(restore.state()).isEqualTo(State.COMPLETED);
    assertThat(restore.brokers()).singleElement().satisfies(broker -> {
      assertThat(broker.nodeId()).isZero();
      assertThat(broker.detail()).isEqualTo("INFO  " + SUCCESS);
    });
    assertThat(restore.failureReason()).isNull();
  }

  @Test
  void failsWhenItExitsWithZeroButNeverLoggedTheSuccessLine() {
    // given
    containers.stopCamunda();
    platform.startBrokerRestore(BACKUP);

    // when
    containers.exit(0, "Started RestoreApp\n");

    // then
    BrokerRestore restore = platform.brokerRestore(BACKUP);
    assertThat(restore.state()).isEqualTo(State.FAILED);
    assertThat(restore.failureReason()).contains("never logged '" + SUCCESS + "'");
  }

  @Test
  void failsWithTheExitCodeAndTheLastLinesOfItsOutput() {
    // given
    containers.stopCamunda();
    platform.startBrokerRestore(BACKUP);
    StringBuilder output = new StringBuilder();
    for (int line = 1; line <= 20; line++) {
      output.append("line ").append(line).append('\n');
    }
    output.append("Brokers's data directory /usr/local/camunda/data is not empty. Aborting restore\n");

    // when
    containers.exit(1, output.toString());

    // then
    BrokerRestore restore = platform.brokerRestore(BACKUP);
    assertThat(restore.state()).isEqualTo(State.FAILED);
    assertThat(restore.failureReason()).startsWith("node 0: exited with 1: ").contains("is not empty").contains("line 20")
        .doesNotContain("line 13 ");
  }

  @Test
  void leavesARunningOrCompletedRestoreAloneAndRunsAFailedOneAgain() {
    // given
    containers.stopCamunda();
    platform.startBrokerRestore(BACKUP);

    // when the step is retried while it runs, after it failed, and after the retry completed
    platform.startBrokerRestore(BACKUP);
    containers.exit(1, "S3 store unreachable\n");
    platform.startBrokerRestore(BACKUP);
    containers.exit(0, SUCCESS + "\n");
    platform.startBrokerRestore(BACKUP);

    // then
    assertThat(containers.restoresStarted).containsExactly(BACKUP, BACKUP);
    assertThat(platform.brokerRestore(BACKUP).state()).isEqualTo(State.COMPLETED);
  }

  @Test
  void startsCamundaOnTheRestoredVolumeAndForgetsTheRestore() {
    // given
    String before = containers.camundaDataVolume();
    platform.stopComponents();
    boolean stopped = platform.componentsStopped();
    platform.startBrokerRestore(BACKUP);
    containers.exit(0, SUCCESS + "\n");

    // when
    platform.startComponents();

    // then
    assertThat(stopped).isTrue();
    assertThat(platform.componentsStopped()).isFalse();
    assertThat(containers.startedOn).containsExactly(containers.lastRestoreVolume());
    assertThat(containers.lastRestoreVolume()).isNotEqualTo(before);
    assertThat(platform.brokerRestore(BACKUP).state()).isEqualTo(State.NOT_STARTED);
  }

  @Test
  void startsCamundaOnItsOwnVolumeWithoutACompletedRestoreAndNotTwice() {
    // given
    String own = containers.camundaDataVolume();
    platform.stopComponents();

    // when
    platform.startComponents();
    platform.startComponents();

    // then
    assertThat(containers.startedOn).containsExactly(own);
  }

  @Test
  void describesEveryStepWithTheBackupAndTheRestoreBinary() {
    // when
    List<String> steps = platform.describe(BACKUP, 1);

    // then
    assertThat(steps).hasSize(3);
    assertThat(steps.get(0)).startsWith("stop and remove container " + CamundaTargetStack.CAMUNDA_HOST);
    assertThat(steps.get(1)).contains(CamundaTargetStack.RESTORE_BINARY + " --backupId=" + BACKUP).contains("SPRING_PROFILES_ACTIVE=restore");
    assertThat(steps.get(2)).startsWith("start " + CamundaTargetStack.CAMUNDA_HOST);
  }

  /** One Camunda container and the restore applications, as state only; the last restore started is the one that exits. */
  private static final class FakeContainers implements TargetContainers {

    private boolean camundaExists = true;
    private String camundaVolume = "volume-0";
    private int volumes;
    private final List<Long> restoresStarted = new ArrayList<>();
    private final List<String> startedOn = new ArrayList<>();
    private final Map<String, RestoreAppState> states = new HashMap<>();
    private RestoreApp last;

    void exit(long code, String output) {
      states.put(last.containerId(), new RestoreAppState(false, code, output));
    }

    String lastRestoreVolume() {
      return last.dataVolume();
    }

    @Override
    public void stopCamunda() {
      camundaExists = false;
    }

    @Override
    public boolean camundaExists() {
      return camundaExists;
    }

    @Override
    public String camundaDataVolume() {
      return camundaVolume;
    }

    @Override
    public RestoreApp startRestoreApp(long backupId) {
      restoresStarted.add(backupId);
      last = new RestoreApp(backupId, "restore-" + restoresStarted.size(), "volume-" + ++volumes);
      states.put(last.containerId(), new RestoreAppState(true, -1, ""));
      return last;
    }

    @Override
    public RestoreAppState restoreAppState(RestoreApp app) {
      return states.get(app.containerId());
    }

    @Override
    public void startCamundaInBackground(String dataVolume) {
      startedOn.add(dataVolume);
      camundaVolume = dataVolume;
      camundaExists = true;
    }
  }
}
