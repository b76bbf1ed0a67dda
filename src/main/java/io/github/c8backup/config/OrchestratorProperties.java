package io.github.c8backup.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Root of the orchestrator's configuration.
 *
 * @param clusters the target clusters by name; the name is what processes and the API use
 * @param retryBackoff how long the engine waits before retrying a step that hit a transient fault
 */
@Validated
@ConfigurationProperties("orchestrator")
public record OrchestratorProperties(
    @NotEmpty Map<String, @Valid TargetCluster> clusters,
    @DefaultValue("PT10S") Duration retryBackoff) {}
