package io.github.c8backup.config;

import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A cluster installed with Camunda's Helm chart.
 *
 * @param namespace the namespace of the release
 * @param release the Helm release name (resource names derive from it)
 * @param brokerStatefulSet the StatefulSet of the brokers (8.6/8.7 {@code <release>-zeebe}, 8.8+
 *     the orchestration cluster); empty means derive it from the release
 * @param deployments the Deployments to scale to zero during the restore (web apps, Optimize,
 *     connectors, the 8.6/8.7 gateway); empty means derive them from the release and version
 * @param restoreImage the image the restore Job runs ({@code camunda/zeebe} up to 8.7,
 *     {@code camunda/camunda} from 8.8), with the exact version of the backup
 * @param restoreJobTimeout how long one broker's restore Job may take
 */
public record KubernetesSettings(
    @NotBlank String namespace,
    @NotBlank String release,
    String brokerStatefulSet,
    List<String> deployments,
    String restoreImage,
    @DefaultValue("PT30M") Duration restoreJobTimeout) {}
