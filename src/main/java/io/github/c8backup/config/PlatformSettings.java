package io.github.c8backup.config;

import jakarta.validation.Valid;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where a cluster runs, which decides how a restore stops, wipes, restores and starts its
 * components.
 *
 * @param type {@code manual} (default: every infrastructure step is a user task with exact
 *     instructions), {@code kubernetes}, or a type a {@code ClusterPlatformProvider} bean offers
 *     (the local sandbox offers {@code sandbox})
 * @param kubernetes the Kubernetes coordinates, for {@code type: kubernetes}
 */
public record PlatformSettings(@DefaultValue("manual") String type, @Valid KubernetesSettings kubernetes) {

  public static PlatformSettings manual() {
    return new PlatformSettings("manual", null);
  }
}
