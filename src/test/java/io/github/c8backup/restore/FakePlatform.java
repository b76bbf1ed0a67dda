package io.github.c8backup.restore;

import io.github.c8backup.config.TargetCluster;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link ClusterPlatform} that records its calls; the broker restore completes after a number of checks or fails. */
public final class FakePlatform implements ClusterPlatform, ClusterPlatformProvider {

  private final List<String> calls = new CopyOnWriteArrayList<>();
  private volatile boolean stopped;
  private volatile int checksUntilRestored = 1;
  private volatile int checks;
  private volatile String failure;
  private volatile Long restoring;
  private volatile String rdbmsUnsupported;

  @Override
  public String type() {
    return "fake";
  }

  @Override
  public ClusterPlatform create(String cluster, TargetCluster settings) {
    return this;
  }

  public List<String> calls() {
    return Collections.unmodifiableList(calls);
  }

  public void reset() {
    calls.clear();
    stopped = false;
    checksUntilRestored = 1;
    checks = 0;
    failure = null;
    restoring = null;
    rdbmsUnsupported = null;
  }

  /** The platform cannot restore RDBMS clusters, for this reason. */
  public FakePlatform rdbmsUnsupported(String reason) {
    rdbmsUnsupported = reason;
    return this;
  }

  public FakePlatform restoreFails(String reason) {
    failure = reason;
    return this;
  }

  public FakePlatform restoredAfterChecks(int n) {
    checksUntilRestored = n;
    return this;
  }

  @Override
  public String kind() {
    return "fake";
  }

  @Override
  public List<String> describe(long backupId, int partitionCount) {
    calls.add("describe");
    return List.of("fake: restore " + partitionCount + " partitions from " + backupId);
  }

  @Override
  public void stopComponents() {
    calls.add("stopComponents");
    stopped = true;
  }

  @Override
  public boolean componentsStopped() {
    calls.add("componentsStopped");
    return stopped;
  }

  @Override
  public void startBrokerRestore(long backupId) {
    calls.add("startBrokerRestore");
    if (!stopped) {
      throw new IllegalStateException("brokers still running");
    }
    restoring = backupId;
  }

  @Override
  public BrokerRestore brokerRestore(long backupId) {
    calls.add("brokerRestore");
    if (restoring == null) {
      return new BrokerRestore(BrokerRestore.State.NOT_STARTED, List.of(), null);
    }
    if (failure != null) {
      return new BrokerRestore(BrokerRestore.State.FAILED, List.of(new BrokerRestore.Broker(0, BrokerRestore.State.FAILED, failure)), failure);
    }
    checks++;
    if (checks < checksUntilRestored) {
      return new BrokerRestore(BrokerRestore.State.IN_PROGRESS, List.of(new BrokerRestore.Broker(0, BrokerRestore.State.IN_PROGRESS, "")), null);
    }
    return new BrokerRestore(BrokerRestore.State.COMPLETED,
        new ArrayList<>(List.of(new BrokerRestore.Broker(0, BrokerRestore.State.COMPLETED, "Successfully restored broker from backup " + backupId))), null);
  }

  @Override
  public Optional<String> rdbmsRestoreUnsupported() {
    return Optional.ofNullable(rdbmsUnsupported);
  }

  @Override
  public List<String> describeRdbmsRestore(Instant pointOrLatest, int partitionCount) {
    calls.add("describeRdbmsRestore");
    return List.of("fake: recover the database to " + (pointOrLatest == null ? "latest" : pointOrLatest) + ", then " + partitionCount + " partitions");
  }

  /** Recorded as "recoverDatabase:&lt;instant or latest&gt;". */
  @Override
  public void recoverDatabase(Instant pointOrLatest) {
    calls.add("recoverDatabase:" + (pointOrLatest == null ? "latest" : pointOrLatest));
    if (!stopped) {
      throw new IllegalStateException("components still running");
    }
  }

  /** Recorded as "restoreBrokersRdbms:--to=&lt;instant&gt;" or "restoreBrokersRdbms:default". */
  @Override
  public List<String> restoreBrokersRdbms(Instant toOrLatest) {
    calls.add("restoreBrokersRdbms:" + (toOrLatest == null ? "default" : "--to=" + toOrLatest));
    if (!stopped) {
      throw new IllegalStateException("brokers still running");
    }
    return List.of("node 0: Successfully restored broker");
  }

  /** Recorded as "recoverDatabase:&lt;instant&gt;@history&lt;n&gt;". */
  @Override
  public void recoverDatabase(Instant point, Integer history) {
    if (history == null) {
      recoverDatabase(point);
      return;
    }
    calls.add("recoverDatabase:" + point + "@history" + history);
    if (!stopped) {
      throw new IllegalStateException("components still running");
    }
  }

  /** Recorded as "restoreBrokersRdbms:--backupId=&lt;ids&gt;". */
  @Override
  public List<String> restoreBrokersRdbms(List<Long> backupIds) {
    calls.add("restoreBrokersRdbms:--backupId=" + backupIds.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")));
    if (!stopped) {
      throw new IllegalStateException("brokers still running");
    }
    return List.of("node 0: Successfully restored broker from backups " + backupIds);
  }

  @Override
  public void startComponents() {
    calls.add("startComponents");
    stopped = false;
  }
}
