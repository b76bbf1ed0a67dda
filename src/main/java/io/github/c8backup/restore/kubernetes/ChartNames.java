package io.github.c8backup.restore.kubernetes;

import io.github.c8backup.config.CamundaVersion;
import io.github.c8backup.config.KubernetesSettings;
import java.util.List;

/**
 * Resource names a release of Camunda's Helm chart gets by default, used when the cluster's
 * settings do not name them.
 *
 * <ul>
 *   <li>Brokers: {@code <release>-zeebe} on every version. 8.6/8.7 name the StatefulSet
 *       {@code global.zeebeClusterName}, which defaults to {@code <release>-zeebe}
 *       ({@code charts/camunda-platform-8.6/templates/zeebe/statefulset.yaml},
 *       {@code zeebe.names.broker}); 8.8+ keeps the name for compatibility with 8.7
 *       ({@code charts/camunda-platform-8.8/templates/orchestration/_helpers.tpl},
 *       {@code orchestration.fullname} with component name {@code zeebe}). A release whose name
 *       already contains {@code zeebe}, a {@code fullnameOverride} or another
 *       {@code zeebeClusterName} needs {@code brokerStatefulSet} set explicitly.
 *   <li>Deployments stopped for a restore (reference 7.2 step 3): 8.6/8.7 the gateway, Operate,
 *       Tasklist, Optimize and Connectors; 8.8+ only Optimize and Connectors, because the gateway
 *       and the web apps run inside the orchestration StatefulSet.
 * </ul>
 */
final class ChartNames {

  private ChartNames() {}

  static String brokerStatefulSet(KubernetesSettings settings) {
    return hasText(settings.brokerStatefulSet())
        ? settings.brokerStatefulSet()
        : settings.release() + "-zeebe";
  }

  static List<String> deployments(KubernetesSettings settings, CamundaVersion version) {
    if (settings.deployments() != null && !settings.deployments().isEmpty()) {
      return List.copyOf(settings.deployments());
    }
    String release = settings.release();
    if (version.pausesExportingFirst()) {
      return List.of(release + "-optimize", release + "-connectors");
    }
    return List.of(
        release + "-zeebe-gateway",
        release + "-operate",
        release + "-tasklist",
        release + "-optimize",
        release + "-connectors");
  }

  /** The restore application in the image (reference 0 and 7.3). */
  static String restoreBinary(CamundaVersion version) {
    return version.pausesExportingFirst()
        ? "/usr/local/camunda/bin/restore"
        : "/usr/local/zeebe/bin/restore";
  }

  /** Where the chart mounts the {@code data} volume when the StatefulSet does not say. */
  static String defaultDataPath(CamundaVersion version) {
    return version.pausesExportingFirst() ? "/usr/local/camunda/data" : "/usr/local/zeebe/data";
  }

  static boolean hasText(String value) {
    return value != null && !value.isBlank();
  }
}
