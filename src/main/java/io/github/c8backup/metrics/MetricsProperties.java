package io.github.c8backup.metrics;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code orchestrator.metrics}: how the last good backup of each cluster is learnt at startup.
 *
 * @param lookupAtStartup ask every cluster's components once the orchestrator is ready
 * @param lookupRetry how long to wait before asking again a cluster whose components did not answer
 */
@ConfigurationProperties("orchestrator.metrics")
public record MetricsProperties(@DefaultValue("true") boolean lookupAtStartup, @DefaultValue("PT1M") Duration lookupRetry) {

  public MetricsProperties {
    if (lookupRetry.isNegative() || lookupRetry.isZero()) {
      throw new IllegalArgumentException("orchestrator.metrics.lookup-retry must be positive, was " + lookupRetry);
    }
  }
}
