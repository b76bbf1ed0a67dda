package io.github.c8backup.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.camunda.zeebe.process.test.filters.RecordStream;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.intent.ProcessInstanceIntent;
import io.camunda.zeebe.protocol.record.value.BpmnElementType;
import io.camunda.zeebe.protocol.record.value.ProcessInstanceRecordValue;
import io.camunda.zeebe.protocol.record.value.VariableRecordValue;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;

/**
 * Reads a control-engine instance's history from the engine's record stream: what Operate shows
 * (elements passed with times, variables), without Operate.
 */
public final class ProcessHistory {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final RecordStream records;

  public ProcessHistory(RecordStream records) {
    this.records = records;
  }

  public record Step(String elementId, String elementType, Instant activated, Instant completed, boolean terminated) {}

  /** Instances of a process, oldest first. */
  public List<Long> instances(String processId) {
    return StreamSupport.stream(records.processInstanceRecords().spliterator(), false)
        .filter(r -> r.getIntent() == ProcessInstanceIntent.ELEMENT_ACTIVATED)
        .filter(r -> r.getValue().getBpmnElementType() == BpmnElementType.PROCESS)
        .filter(r -> r.getValue().getBpmnProcessId().equals(processId))
        .map(Record::getKey)
        .toList();
  }

  /** The instance whose call activity started this one, or -1 for a root instance. */
  public long parentOf(long instanceKey) {
    return StreamSupport.stream(records.processInstanceRecords().spliterator(), false)
        .filter(r -> r.getKey() == instanceKey && r.getIntent() == ProcessInstanceIntent.ELEMENT_ACTIVATED)
        .map(r -> r.getValue().getParentProcessInstanceKey())
        .findFirst()
        .orElse(-1L);
  }

  /**
   * The first instance of {@code processId} among those after the first {@code known} whose
   * variable {@code cluster} is {@code cluster}: the run a request for that cluster started.
   */
  public long awaitInstanceOfCluster(String processId, String cluster, int known, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      List<Long> all = instances(processId);
      for (Long key : all.subList(Math.min(known, all.size()), all.size())) {
        if (variable(key, "cluster").map(cluster::equals).orElse(false)) {
          return key;
        }
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("no new instance of " + processId + " for cluster " + cluster + " within " + timeout);
      }
      sleep(50);
    }
  }

  /** The instance of {@code processId} that a call activity of {@code parent} started. */
  public long awaitCalled(long parent, String processId, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      for (Long key : instances(processId)) {
        if (parentOf(key) == parent) {
          return key;
        }
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("no instance of " + processId + " called by " + parent + " within " + timeout);
      }
      sleep(50);
    }
  }

  public boolean isEnded(long instanceKey) {
    return StreamSupport.stream(records.processInstanceRecords().spliterator(), false)
        .anyMatch(r -> r.getKey() == instanceKey
            && (r.getIntent() == ProcessInstanceIntent.ELEMENT_COMPLETED || r.getIntent() == ProcessInstanceIntent.ELEMENT_TERMINATED));
  }

  /**
   * Waits until the instance has ended, and the run that called it too: a run of a cluster
   * ({@code camunda-cluster-run}) ends just after its backup or restore, and until it has, a new
   * request for that cluster is skipped.
   */
  public void awaitEnd(long instanceKey, Duration timeout) {
    awaitOwnEnd(instanceKey, timeout);
    for (long parent = parentOf(instanceKey); parent > 0; parent = parentOf(parent)) {
      awaitOwnEnd(parent, timeout);
    }
  }

  private void awaitOwnEnd(long instanceKey, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (!isEnded(instanceKey)) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("process instance " + instanceKey + " did not end within " + timeout + "; passed: "
            + steps(instanceKey).stream().map(Step::elementId).toList() + "; still active: "
            + steps(instanceKey).stream().filter(s -> s.completed() == null).map(Step::elementId).toList()
            + "; incidents: " + incidents(instanceKey) + "; variables: " + variables(instanceKey).keySet());
      }
      sleep(50);
    }
  }

  public long awaitNewInstance(String processId, int knownInstances, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      List<Long> all = instances(processId);
      if (all.size() > knownInstances) {
        return all.get(knownInstances);
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("no new instance of " + processId + " within " + timeout);
      }
      sleep(50);
    }
  }

  /** Elements of the instance (sub-processes included) in the order they were activated. */
  public List<Step> steps(long instanceKey) {
    Map<Long, Step> steps = new LinkedHashMap<>();
    for (Record<ProcessInstanceRecordValue> r : records.processInstanceRecords()) {
      ProcessInstanceRecordValue v = r.getValue();
      if (v.getProcessInstanceKey() != instanceKey || v.getBpmnElementType() == BpmnElementType.PROCESS
          || v.getBpmnElementType() == BpmnElementType.SEQUENCE_FLOW) {
        continue;
      }
      Instant at = Instant.ofEpochMilli(r.getTimestamp());
      switch ((ProcessInstanceIntent) r.getIntent()) {
        case ELEMENT_ACTIVATING -> steps.put(r.getKey(), new Step(v.getElementId(), v.getBpmnElementType().name(), at, null, false));
        case ELEMENT_COMPLETED -> steps.computeIfPresent(r.getKey(), (k, s) -> new Step(s.elementId(), s.elementType(), s.activated(), at, false));
        case ELEMENT_TERMINATED -> steps.computeIfPresent(r.getKey(), (k, s) -> new Step(s.elementId(), s.elementType(), s.activated(), at, true));
        default -> { }
      }
    }
    return List.copyOf(steps.values());
  }

  public List<String> passedElementIds(long instanceKey) {
    return steps(instanceKey).stream().filter(s -> s.completed() != null && !s.terminated()).map(Step::elementId).toList();
  }

  /** The latest value of a variable anywhere in the instance, parsed from JSON. */
  public Optional<Object> variable(long instanceKey, String name) {
    return latest(name, v -> v.getProcessInstanceKey() == instanceKey);
  }

  /** The latest value of a variable of the instance's own scope (not of an element inside it). */
  public Optional<Object> rootVariable(long instanceKey, String name) {
    return latest(name, v -> v.getScopeKey() == instanceKey);
  }

  private Optional<Object> latest(String name, java.util.function.Predicate<VariableRecordValue> where) {
    Object value = null;
    boolean found = false;
    for (Record<VariableRecordValue> r : records.variableRecords()) {
      if (r.getValue().getName().equals(name) && where.test(r.getValue())) {
        try {
          value = JSON.readValue(r.getValue().getValue(), Object.class);
          found = true;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return found ? Optional.ofNullable(value) : Optional.empty();
  }

  public Map<String, Object> variables(long instanceKey) {
    Map<String, Object> all = new LinkedHashMap<>();
    for (Record<VariableRecordValue> r : records.variableRecords()) {
      if (r.getValue().getProcessInstanceKey() == instanceKey) {
        try {
          all.put(r.getValue().getName(), JSON.readValue(r.getValue().getValue(), Object.class));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return all;
  }

  public List<String> incidents(long instanceKey) {
    return StreamSupport.stream(records.incidentRecords().spliterator(), false)
        .filter(r -> r.getValue().getProcessInstanceKey() == instanceKey)
        .map(r -> r.getIntent() + ": " + r.getValue().getErrorMessage())
        .toList();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
