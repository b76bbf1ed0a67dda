package io.github.c8backup.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.github.c8backup.backup.BackupSchedule;
import io.github.c8backup.testing.Await;
import io.github.c8backup.testing.ControlEngine;
import io.github.c8backup.testing.ProcessHistory;
import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Changing the schedules and restarting changes the deployed timers: the orchestrator deploys a new
 * version of {@code camunda-backup-schedule}, and Zeebe replaces the timer start events of the
 * previous version with the new version's. Proven on an engine of its own, with its clock.
 */
class ScheduleRedeploymentTest {

  private final ControlEngine engine = ControlEngine.start(0);
  private final ProcessHistory history = new ProcessHistory(engine.records());

  @AfterEach
  void stop() {
    engine.close();
  }

  private void deploy(Map<String, BackupSchedule> schedules) {
    BpmnModelInstance model = ProcessDeployer.withSchedules(Bpmn.readModelFromFile(new File("bpmn/camunda-backup-schedule.bpmn")), schedules);
    try (var client = engine.engine().createClient()) {
      client.newDeployResourceCommand().addProcessModel(model, "camunda-backup-schedule.bpmn").send().join();
    }
  }

  private List<String> firedTimers() {
    return history.instances(ClusterRunProcessModel.SCHEDULE_PROCESS_ID).stream()
        .map(key -> history.passedElementIds(key).getFirst()).toList();
  }

  @Test
  void aRedeploymentWithOtherSchedulesReplacesTheTimers() throws Exception {
    // given prod scheduled hourly, and its timer fired once
    deploy(Map.of("prod", new BackupSchedule("R/PT1H")));
    engine.engine().increaseTime(Duration.ofMinutes(61));
    Await.until("prod's timer", Duration.ofSeconds(30), Duration.ofMillis(50), () -> firedTimers().size() == 1);

    // when restarted with prod's schedule removed and staging's added
    deploy(Map.of("staging", new BackupSchedule("R/PT1H")));
    engine.engine().increaseTime(Duration.ofMinutes(61));
    Await.until("staging's timer", Duration.ofSeconds(30), Duration.ofMillis(50), () -> firedTimers().size() == 2);
    engine.engine().increaseTime(Duration.ofMinutes(61));
    Await.until("staging's second timer", Duration.ofSeconds(30), Duration.ofMillis(50), () -> firedTimers().size() == 3);

    // then prod's timer never fired again
    assertThat(firedTimers()).containsExactly("ScheduledBackup_prod", "ScheduledBackup_staging", "ScheduledBackup_staging");
  }

  @Test
  void aRedeploymentWithoutSchedulesStopsEveryTimer() throws Exception {
    // given
    deploy(Map.of("prod", new BackupSchedule("R/PT1H")));

    // when
    deploy(Map.of());
    engine.engine().increaseTime(Duration.ofHours(3));
    Thread.sleep(1000); // the heartbeat timer (every 2 s) shows the engine's timers are being checked

    // then
    assertThat(history.instances(ControlEngine.HEARTBEAT_PROCESS)).isNotEmpty();
    assertThat(firedTimers()).isEmpty();
  }
}
