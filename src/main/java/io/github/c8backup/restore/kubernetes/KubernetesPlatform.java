package io.github.c8backup.restore.kubernetes;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.c8backup.config.CamundaVersion;
import io.github.c8backup.config.KubernetesSettings;
import io.github.c8backup.config.TargetCluster;
import io.github.c8backup.restore.ClusterPlatform;
import io.github.c8backup.restore.ClusterPlatform.BrokerRestore.Broker;
import io.github.c8backup.restore.ClusterPlatform.BrokerRestore.State;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Restores a cluster installed with Camunda's Helm chart the way the docs do by hand (reference
 * 7.2 step 3, 7.3, 7.4), with a Job per broker instead of editing the chart's values:
 *
 * <ol>
 *   <li>{@link #stopComponents()}: scales the Deployments ({@link ChartNames}; missing ones are
 *       skipped), then the broker StatefulSet, to 0. Each workload's previous replica count goes
 *       into the annotation {@value RestoreLabels#REPLICAS_BEFORE_RESTORE} in the same patch, so
 *       {@link #startComponents()} restores exactly those counts, also after a crash.
 *   <li>{@link #startBrokerRestore(long)}: for each broker n of the recorded count, deletes the
 *       claim {@code data-<sts>-n}, creates an empty one with the volumeClaimTemplate's spec and
 *       the same name (the StatefulSet adopts it on start), and runs the Job
 *       {@code <sts>-restore-<backupId>-n}: the broker's image and env running the restore
 *       application ({@code /usr/local/zeebe/bin/restore} up to 8.7, {@code /usr/local/camunda/bin/restore}
 *       from 8.8) with {@code --backupId}, see {@link RestoreJobSpecs}. A broker whose Job exists is
 *       left alone, its claim included.
 *   <li>{@link #brokerRestore(long)}: a Job that succeeded counts only if its pod logged
 *       {@code Successfully restored broker from backup <id>} (reference 7.3).
 *   <li>{@link #startComponents()}: deletes the finished restore Jobs of this cluster, then scales
 *       the StatefulSet and the Deployments back and drops the annotation.
 * </ol>
 *
 * <p>Needs RBAC in the namespace, nothing cluster-wide: get/patch StatefulSets and Deployments;
 * get/create/delete PersistentVolumeClaims; get/list/create/delete Jobs; list/watch Pods (the watch
 * only from fabric8's {@code getLog}, now and then); get pods/log.
 * {@code deploy/kubernetes/role.yaml} grants exactly that, and {@code RestoreRoleTest} checks it
 * against the requests a whole restore sends.
 */
public final class KubernetesPlatform implements ClusterPlatform {

  private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
  private static final Pattern IMAGE_TAG = Pattern.compile(":(\\d+\\.\\d+[^@/:]*)$");
  private static final int LOG_LINES_IN_FAILURE = 5;

  private final String cluster;
  private final TargetCluster settings;
  private final KubernetesSettings kubernetes;
  private final KubernetesClient client;
  private final Workloads workloads;

  public KubernetesPlatform(String cluster, TargetCluster settings, KubernetesClient client) {
    if (!LABEL_VALUE.matcher(cluster).matches()) {
      throw new IllegalArgumentException("Cluster name '" + cluster
          + "' is used as a Kubernetes label value: at most 63 letters, digits, '-', '_' or '.'");
    }
    this.cluster = cluster;
    this.settings = settings;
    this.kubernetes = settings.platform().kubernetes();
    this.client = client;
    this.workloads = new Workloads(client, kubernetes.namespace());
  }

  @Override
  public String kind() {
    return "kubernetes";
  }

  @Override
  public List<String> describe(long backupId, int partitionCount) {
    StatefulSet sts = brokerStatefulSet();
    CamundaVersion version = version(sts);
    RestoreJobSpecs specs = specs(sts, version);
    Workload brokers = workloads.of(sts);
    List<Workload> deployments = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    for (String name : ChartNames.deployments(kubernetes, version)) {
      workloads.deployment(name).ifPresentOrElse(
          deployments::add,
          () -> lines.add("skip deployment " + kubernetes.namespace() + "/" + name + ": not found"));
    }
    for (Workload workload : deployments) {
      lines.add("scale " + workload + " " + workload.replicasBeforeRestore() + " → 0");
    }
    int brokerCount = brokers.replicasBeforeRestore();
    lines.add("scale " + brokers + " " + brokerCount + " → 0");
    lines.add("delete PVC " + specs.claimName(0) + ".." + (brokerCount - 1) + " and create them empty ("
        + specs.claimSize() + ", " + specs.storageClass() + "), except for brokers whose restore Job exists");
    for (int nodeId = 0; nodeId < brokerCount; nodeId++) {
      String job = specs.jobName(backupId, nodeId);
      boolean exists = job(job).isPresent();
      lines.add((exists ? "keep existing Job " : "run Job ") + job + " (image " + specs.image() + ", "
          + String.join(" ", specs.command(backupId)) + ", node id " + nodeId + ", " + specs.dataPath()
          + " on PVC " + specs.claimName(nodeId) + ")");
    }
    lines.add("the restore application requires the backup's partition count (" + partitionCount
        + ") in the broker configuration and logs 'Successfully restored broker from backup " + backupId + "'");
    lines.add("delete the finished restore Jobs of cluster " + cluster);
    lines.add("scale " + brokers + " back to " + brokerCount);
    for (Workload workload : deployments) {
      lines.add("scale " + workload + " back to " + workload.replicasBeforeRestore());
    }
    return lines;
  }

  @Override
  public void stopComponents() {
    StatefulSet sts = brokerStatefulSet();
    Workload brokers = workloads.of(sts);
    if (brokers.replicas() == 0 && brokers.recordedReplicas() == null) {
      throw new IllegalStateException(brokers + " is already at 0 replicas and no count was recorded; "
          + "scale it to its cluster size first so the restore knows how many brokers to restore");
    }
    for (Workload deployment : deployments(version(sts))) {
      workloads.scaleToZeroRecording(deployment);
    }
    workloads.scaleToZeroRecording(brokers);
  }

  @Override
  public boolean componentsStopped() {
    StatefulSet sts = brokerStatefulSet();
    if (!workloads.stopped(workloads.of(sts))) {
      return false;
    }
    return deployments(version(sts)).stream().allMatch(workloads::stopped);
  }

  @Override
  public void startBrokerRestore(long backupId) {
    StatefulSet sts = brokerStatefulSet();
    Workload brokers = workloads.of(sts);
    if (!brokers.stoppedByUs() || !workloads.stopped(brokers)) {
      throw new IllegalStateException(brokers + " is not stopped by stopComponents(); "
          + "its data volumes are only replaced while no broker runs");
    }
    RestoreJobSpecs specs = specs(sts, version(sts));
    List<Integer> toStart = new ArrayList<>();
    for (int nodeId = 0; nodeId < brokers.recordedReplicas(); nodeId++) {
      if (job(specs.jobName(backupId, nodeId)).isEmpty()) {
        toStart.add(nodeId);
      }
    }
    for (int nodeId : toStart) {
      claim(specs.claimName(nodeId))
          .filter(claim -> !preparedFor(claim, backupId) && claim.getMetadata().getDeletionTimestamp() == null)
          .ifPresent(claim -> client.persistentVolumeClaims().resource(claim).delete());
    }
    List<String> terminating = new ArrayList<>();
    for (int nodeId : toStart) {
      Optional<PersistentVolumeClaim> claim = claim(specs.claimName(nodeId));
      if (claim.isPresent() && !preparedFor(claim.get(), backupId)) {
        terminating.add(specs.claimName(nodeId));
        continue;
      }
      if (claim.isEmpty()) {
        createIgnoringConflict(() ->
            client.persistentVolumeClaims().resource(specs.emptyDataClaim(backupId, nodeId)).create());
      }
      createIgnoringConflict(() -> client.batch().v1().jobs().resource(specs.restoreJob(backupId, nodeId)).create());
    }
    if (!terminating.isEmpty()) {
      throw new DataVolumeStillTerminatingException(kubernetes.namespace(), terminating);
    }
  }

  @Override
  public BrokerRestore brokerRestore(long backupId) {
    StatefulSet sts = brokerStatefulSet();
    RestoreJobSpecs specs = specs(sts, version(sts));
    int brokerCount = workloads.of(sts).replicasBeforeRestore();
    List<Broker> brokers = new ArrayList<>();
    for (int n = 0; n < brokerCount; n++) {
      int nodeId = n;
      String name = specs.jobName(backupId, nodeId);
      brokers.add(job(name).map(job -> broker(job, nodeId, backupId))
          .orElse(new Broker(nodeId, State.NOT_STARTED, "Job " + name + " not found")));
    }
    List<Broker> failed = brokers.stream().filter(b -> b.state() == State.FAILED).toList();
    State state;
    if (!failed.isEmpty()) {
      state = State.FAILED;
    } else if (brokers.stream().allMatch(b -> b.state() == State.COMPLETED)) {
      state = State.COMPLETED;
    } else if (brokers.stream().allMatch(b -> b.state() == State.NOT_STARTED)) {
      state = State.NOT_STARTED;
    } else {
      state = State.IN_PROGRESS;
    }
    String reason = failed.isEmpty() ? null
        : String.join("; ", failed.stream().map(b -> "broker " + b.nodeId() + ": " + b.detail()).toList());
    return new BrokerRestore(state, brokers, reason);
  }

  @Override
  public void startComponents() {
    List<Job> jobs = client.batch().v1().jobs().inNamespace(kubernetes.namespace())
        .withLabels(RestoreLabels.ofCluster(cluster)).list().getItems();
    List<String> running = jobs.stream().filter(job -> !finished(job)).map(job -> job.getMetadata().getName()).toList();
    if (!running.isEmpty()) {
      throw new IllegalStateException("Restore Jobs " + running + " still run; brokers start once they finished");
    }
    for (Job job : jobs) {
      client.batch().v1().jobs().resource(job).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    }
    StatefulSet sts = brokerStatefulSet();
    workloads.scaleBackToRecorded(workloads.of(sts));
    for (Workload deployment : deployments(version(sts))) {
      workloads.scaleBackToRecorded(deployment);
    }
  }

  private Broker broker(Job job, int nodeId, long backupId) {
    String name = job.getMetadata().getName();
    if (hasCondition(job, "Failed") || count(job.getStatus() == null ? null : job.getStatus().getFailed()) > 0) {
      return new Broker(nodeId, State.FAILED, "Job " + name + " failed" + failedReason(job) + logTail(name));
    }
    if (!hasCondition(job, "Complete") && count(job.getStatus() == null ? null : job.getStatus().getSucceeded()) == 0) {
      return new Broker(nodeId, State.IN_PROGRESS, "Job " + name + " running");
    }
    String successLine = "Successfully restored broker from backup " + backupId;
    Optional<String> log = log(name);
    if (log.isPresent() && log.get().contains(successLine)) {
      return new Broker(nodeId, State.COMPLETED, successLine);
    }
    return new Broker(nodeId, State.FAILED, "Job " + name + " succeeded but its log lacks '" + successLine + "'"
        + log.map(text -> ": " + tail(text)).orElse(": no pod log found"));
  }

  private String logTail(String job) {
    return log(job).map(text -> ": " + tail(text)).orElse("");
  }

  private Optional<String> log(String job) {
    return client.pods().inNamespace(kubernetes.namespace()).withLabel(RestoreLabels.JOB_NAME, job)
        .list().getItems().stream()
        .max(Comparator.comparing(pod -> String.valueOf(pod.getMetadata().getCreationTimestamp())))
        .map(Pod::getMetadata)
        .map(meta -> client.pods().inNamespace(kubernetes.namespace()).withName(meta.getName()).getLog());
  }

  private static String tail(String log) {
    List<String> lines = Arrays.stream(log.split("\\R")).filter(line -> !line.isBlank()).toList();
    return String.join(" | ", lines.subList(Math.max(0, lines.size() - LOG_LINES_IN_FAILURE), lines.size()));
  }

  private static String failedReason(Job job) {
    return job.getStatus() == null || job.getStatus().getConditions() == null ? ""
        : job.getStatus().getConditions().stream()
            .filter(c -> "Failed".equals(c.getType()) && c.getReason() != null)
            .map(c -> " (" + c.getReason() + ")")
            .findFirst().orElse("");
  }

  private static boolean finished(Job job) {
    return hasCondition(job, "Complete") || hasCondition(job, "Failed")
        || (job.getStatus() != null
            && (count(job.getStatus().getSucceeded()) > 0 || count(job.getStatus().getFailed()) > 0));
  }

  private static boolean hasCondition(Job job, String type) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return false;
    }
    for (JobCondition condition : job.getStatus().getConditions()) {
      if (type.equals(condition.getType()) && "True".equals(condition.getStatus())) {
        return true;
      }
    }
    return false;
  }

  private static int count(Integer value) {
    return value == null ? 0 : value;
  }

  private boolean preparedFor(PersistentVolumeClaim claim, long backupId) {
    var labels = claim.getMetadata().getLabels();
    return labels != null
        && cluster.equals(labels.get(RestoreLabels.CLUSTER))
        && Long.toString(backupId).equals(labels.get(RestoreLabels.BACKUP_ID));
  }

  private List<Workload> deployments(CamundaVersion version) {
    return ChartNames.deployments(kubernetes, version).stream()
        .map(workloads::deployment).flatMap(Optional::stream).toList();
  }

  private StatefulSet brokerStatefulSet() {
    String name = ChartNames.brokerStatefulSet(kubernetes);
    StatefulSet sts = client.apps().statefulSets().inNamespace(kubernetes.namespace()).withName(name).get();
    if (sts == null) {
      throw new IllegalStateException("Broker StatefulSet " + kubernetes.namespace() + "/" + name + " of cluster "
          + cluster + " not found; set platform.kubernetes.broker-stateful-set if the release names it differently");
    }
    return sts;
  }

  private RestoreJobSpecs specs(StatefulSet sts, CamundaVersion version) {
    return new RestoreJobSpecs(cluster, sts, version, kubernetes.restoreImage(), kubernetes.restoreJobTimeout());
  }

  /** The configured version, else the broker image's tag (camunda/camunda:8.8.3 → 8.8). */
  private CamundaVersion version(StatefulSet sts) {
    if (settings.version() != null) {
      return settings.version();
    }
    String image = RestoreJobSpecs.brokerContainer(sts).getImage();
    var tag = IMAGE_TAG.matcher(image == null ? "" : image);
    if (tag.find()) {
      try {
        return CamundaVersion.parse(tag.group(1));
      } catch (IllegalArgumentException e) {
        // fall through to the message below
      }
    }
    throw new IllegalStateException("Cannot tell the Camunda version of cluster " + cluster + " from image "
        + image + "; set orchestrator.clusters." + cluster + ".version");
  }

  private Optional<Job> job(String name) {
    return Optional.ofNullable(client.batch().v1().jobs().inNamespace(kubernetes.namespace()).withName(name).get());
  }

  private Optional<PersistentVolumeClaim> claim(String name) {
    return Optional.ofNullable(
        client.persistentVolumeClaims().inNamespace(kubernetes.namespace()).withName(name).get());
  }

  /** Another orchestrator instance (or our own earlier attempt) created it between our read and write. */
  private static void createIgnoringConflict(Runnable create) {
    try {
      create.run();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }
}
