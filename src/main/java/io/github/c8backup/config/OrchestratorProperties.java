package io.github.c8backup.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** Root of the orchestrator's configuration: the named target clusters. */
@Validated
@ConfigurationProperties("orchestrator")
public record OrchestratorProperties(@NotEmpty Map<String, @Valid TargetCluster> clusters) {}
