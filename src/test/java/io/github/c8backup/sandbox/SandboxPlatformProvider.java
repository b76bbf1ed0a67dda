package io.github.c8backup.sandbox;

import io.github.c8backup.config.TargetCluster;
import io.github.c8backup.restore.ClusterPlatform;
import io.github.c8backup.restore.ClusterPlatformProvider;
import io.github.c8backup.sandbox.simulator.CamundaTargetSimulator;

/**
 * Offers {@code platform.type: sandbox}: the sandbox's cluster runs on the Camunda target
 * simulator. Every call answers the same {@link SandboxPlatform}, because it holds the progress of
 * the broker restores it started.
 */
public final class SandboxPlatformProvider implements ClusterPlatformProvider {

  public static final String TYPE = "sandbox";

  private final String cluster;
  private final SandboxPlatform platform;

  public SandboxPlatformProvider(String cluster, CamundaTargetSimulator simulator) {
    this(cluster, () -> simulator);
  }

  public SandboxPlatformProvider(String cluster, java.util.function.Supplier<CamundaTargetSimulator> simulator) {
    this(cluster, simulator, () -> null);
  }

  /** {@code postgres} supplies the RDBMS sandbox's server, or null on an ES/OS sandbox. */
  public SandboxPlatformProvider(String cluster, java.util.function.Supplier<CamundaTargetSimulator> simulator,
      java.util.function.Supplier<io.github.c8backup.sandbox.storage.PostgresProcess> postgres) {
    this.cluster = cluster;
    this.platform = new SandboxPlatform(simulator, postgres);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public ClusterPlatform create(String cluster, TargetCluster settings) {
    if (!this.cluster.equals(cluster)) {
      throw new IllegalArgumentException("platform type 'sandbox' drives only the sandbox's cluster '" + this.cluster
          + "', not '" + cluster + "'");
    }
    return platform;
  }
}
