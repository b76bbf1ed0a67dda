package io.github.c8backup.restore.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.github.c8backup.config.CamundaVersion;
import io.github.c8backup.config.PlatformSettings;
import io.github.c8backup.config.TargetCluster;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class KubernetesPlatformProviderTest {

  private KubernetesClient client;

  @Test
  void buildsNoClientUntilAPlatformIsNeeded() {
    // given
    AtomicInteger built = new AtomicInteger();
    // when
    var provider = new KubernetesPlatformProvider(() -> {
      built.incrementAndGet();
      return client;
    });
    // then
    assertThat(provider.type()).isEqualTo("kubernetes");
    assertThat(built).hasValue(0);
  }

  @Test
  void sharesOneClientBetweenClusters() {
    // given
    AtomicInteger built = new AtomicInteger();
    var provider = new KubernetesPlatformProvider(() -> {
      built.incrementAndGet();
      return client;
    });
    // when
    var prod = provider.create("prod", HelmChartFixtures.cluster(CamundaVersion.V8_8));
    provider.create("staging", HelmChartFixtures.cluster(CamundaVersion.V8_8));
    // then
    assertThat(prod.kind()).isEqualTo("kubernetes");
    assertThat(built).hasValue(1);
  }

  @Test
  void failsClearlyWithoutKubernetesCoordinates() {
    // given
    var provider = new KubernetesPlatformProvider(() -> client);
    var settings = new TargetCluster(CamundaVersion.V8_8, null, null, null, null, null, null, null, null, null,
        null, null, new PlatformSettings("kubernetes", null), null, null);
    // when / then
    assertThatThrownBy(() -> provider.create("prod", settings))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("orchestrator.clusters.prod.platform.kubernetes");
  }

  @Test
  void rejectsAClusterNameThatCannotBeALabelValue() {
    // given
    var provider = new KubernetesPlatformProvider(() -> client);
    // when / then
    assertThatThrownBy(() -> provider.create("prod cluster", HelmChartFixtures.cluster(CamundaVersion.V8_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("label value");
  }
}
