package io.github.c8backup.restore;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.VariablesAsType;
import io.camunda.client.api.response.ActivatedJob;
import io.camunda.client.exception.CamundaError;
import io.github.c8backup.backup.ClusterSteps;
import io.github.c8backup.cluster.ClusterConnection;
import io.github.c8backup.cluster.ComponentUnavailableException;
import io.github.c8backup.cluster.search.SnapshotApi;
import io.github.c8backup.cluster.zeebe.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.stereotype.Component;

/**
 * After the start: waits until the gateway answers with a leader on every partition, then checks
 * that the restored data is there (every restored index holds at least the documents it had right
 * after its snapshot was restored) and the Zeebe partition count is the backup's.
 */
@Component
public class ClusterHealthWorker {

  private final ClusterSteps steps;

  public ClusterHealthWorker(ClusterSteps steps) {
    this.steps = steps;
  }

  @JobWorker(type = RestoreJobTypes.CHECK_CLUSTER_HEALTH)
  public Map<String, Object> checkHealth(ActivatedJob job, @VariablesAsType RestoreRun run) {
    ClusterConnection connection = steps.connect(run.cluster(), run.camundaVersion());
    if (connection.gateway().isEmpty()) {
      throw CamundaError.jobError("Cannot check the health of cluster " + run.cluster() + ": no zeebe-rest configured", null, 0);
    }
    try {
      Topology topology = connection.gateway().get().topology();
      List<String> missing = partitionsWithoutHealthyLeader(topology, run.expectedPartitions());
      Map<String, Object> variables = new LinkedHashMap<>();
      variables.put("clusterHealthy", missing.isEmpty());
      variables.put("clusterHealth", missing.isEmpty() ? "every partition has a healthy leader" : "waiting for " + missing);
      return variables;
    } catch (ComponentUnavailableException e) {
      // still starting: not an error, the BPMN polls again
      return Map.of("clusterHealthy", false, "clusterHealth", "gateway not answering yet: " + e.getMessage());
    } catch (RuntimeException e) {
      throw steps.incident(e, job, "Check health of " + run.cluster());
    }
  }

  static List<String> partitionsWithoutHealthyLeader(Topology topology, int expectedPartitions) {
    Set<Integer> led = new TreeSet<>();
    topology.brokers().forEach(b -> b.partitions().forEach(p -> {
      if ("leader".equalsIgnoreCase(p.role()) && "healthy".equalsIgnoreCase(p.health())) {
        led.add(p.partitionId());
      }
    }));
    List<String> missing = new ArrayList<>();
    for (int partition = 1; partition <= expectedPartitions; partition++) {
      if (!led.contains(partition)) {
        missing.add("partition " + partition);
      }
    }
    return missing;
  }

  @JobWorker(type = RestoreJobTypes.VERIFY_RESTORE)
  public Map<String, Object> verify(ActivatedJob job, @VariablesAsType RestoreRun run) {
    try {
      ClusterConnection connection = steps.connect(run.cluster(), run.camundaVersion());
      List<String> problems = new ArrayList<>();
      Topology topology = connection.gateway().orElseThrow().topology();
      if (topology.partitionsCount() != run.expectedPartitions()) {
        problems.add("the cluster has " + topology.partitionsCount() + " partitions, the restore expected " + run.expectedPartitions());
      }
      problems.addAll(partitionsWithoutHealthyLeader(topology, run.expectedPartitions()).stream().map(p -> p + " has no healthy leader").toList());
      Map<String, Long> counts = run.restoredDocumentCounts() == null ? Map.of() : run.restoredDocumentCounts();
      SnapshotApi search = connection.search().orElse(null);
      long documents = 0;
      for (Map.Entry<String, Long> restored : counts.entrySet()) {
        long now = search == null ? -1 : search.documentCount(restored.getKey());
        documents += Math.max(now, 0);
        if (now < restored.getValue()) {
          problems.add("index " + restored.getKey() + " holds " + now + " documents, " + restored.getValue() + " were restored");
        }
      }
      if (!problems.isEmpty()) {
        throw CamundaError.jobError("Restore of " + run.cluster() + " to " + run.target() + " is not verified: "
            + String.join("; ", problems) + ". Inspect the cluster; retry this step once it is fixed.", null, 0);
      }
      Map<String, Object> variables = new LinkedHashMap<>();
      variables.put("verification", Map.of(
          "partitionsWithLeader", run.expectedPartitions(),
          "gatewayVersion", String.valueOf(topology.gatewayVersion()),
          "restoredIndices", counts.size(),
          "documentsInRestoredIndices", documents));
      variables.put("outcome", "RESTORED");
      variables.put("finishedAt", steps.now());
      return variables;
    } catch (RuntimeException e) {
      throw steps.incident(e, job, "Verify the restore of " + run.cluster());
    }
  }
}
