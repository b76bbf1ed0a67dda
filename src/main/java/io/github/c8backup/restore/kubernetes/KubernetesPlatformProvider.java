package io.github.c8backup.restore.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.github.c8backup.config.TargetCluster;
import io.github.c8backup.restore.ClusterPlatform;
import io.github.c8backup.restore.ClusterPlatformProvider;
import jakarta.annotation.PreDestroy;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Platform of clusters with {@code platform.type: kubernetes}. The client is built on first use,
 * from the pod's service account or the kubeconfig (fabric8's usual lookup), so the orchestrator
 * starts without any cluster in reach.
 */
@Component
class KubernetesPlatformProvider implements ClusterPlatformProvider {

  private final Supplier<KubernetesClient> clientFactory;
  private KubernetesClient client;

  KubernetesPlatformProvider() {
    this(() -> new KubernetesClientBuilder().build());
  }

  KubernetesPlatformProvider(Supplier<KubernetesClient> clientFactory) {
    this.clientFactory = clientFactory;
  }

  @Override
  public String type() {
    return "kubernetes";
  }

  @Override
  public ClusterPlatform create(String cluster, TargetCluster settings) {
    if (settings.platform() == null || settings.platform().kubernetes() == null) {
      throw new IllegalArgumentException("Cluster " + cluster + " has platform.type kubernetes but no "
          + "orchestrator.clusters." + cluster + ".platform.kubernetes (namespace, release)");
    }
    return new KubernetesPlatform(cluster, settings, client());
  }

  private synchronized KubernetesClient client() {
    if (client == null) {
      client = clientFactory.get();
    }
    return client;
  }

  @PreDestroy
  synchronized void close() {
    if (client != null) {
      client.close();
    }
  }
}
