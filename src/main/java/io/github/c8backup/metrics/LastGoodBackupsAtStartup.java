package io.github.c8backup.metrics;

import io.github.c8backup.config.OrchestratorProperties;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * After a restart the orchestrator remembers nothing, but the components still hold the backups:
 * once it is ready, each cluster's newest good backup is learnt from them and sets the gauge
 * {@value RunMetrics#LAST_GOOD_BACKUP}. A cluster whose components do not answer is asked again
 * every {@code orchestrator.metrics.lookup-retry} until they do or a run records a good backup;
 * until then its gauge is absent rather than a guess. The lookups run on their own thread, so a
 * slow component delays neither startup nor any run.
 */
@Component
class LastGoodBackupsAtStartup implements ApplicationListener<ApplicationReadyEvent>, DisposableBean {

  private static final Logger LOG = LoggerFactory.getLogger(LastGoodBackupsAtStartup.class);

  private final NewestGoodBackups components;
  private final RunMetrics metrics;
  private final OrchestratorProperties clusters;
  private final MetricsProperties properties;
  private final ScheduledExecutorService lookups = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "last-good-backup-lookup");
    thread.setDaemon(true);
    return thread;
  });

  LastGoodBackupsAtStartup(NewestGoodBackups components, RunMetrics metrics, OrchestratorProperties clusters, MetricsProperties properties) {
    this.components = components;
    this.metrics = metrics;
    this.clusters = clusters;
    this.properties = properties;
  }

  @Override
  public void onApplicationEvent(ApplicationReadyEvent event) {
    if (properties.lookupAtStartup()) {
      clusters.clusters().keySet().forEach(cluster -> lookups.execute(() -> lookUp(cluster)));
    }
  }

  /** Asks once; returns whether the cluster needs asking again later. */
  boolean lookUpOnce(String cluster) {
    if (metrics.lastGoodBackup(cluster).isPresent()) {
      return false; // a run (or an earlier answer) already set it
    }
    NewestGoodBackup newest;
    try {
      newest = components.of(cluster);
    } catch (RuntimeException e) {
      newest = NewestGoodBackup.unknown(e.toString());
    }
    switch (newest.status()) {
      case FOUND -> {
        metrics.lastGoodBackup(cluster, newest.at());
        LOG.info("Cluster {}: newest good backup taken at {} (asked the components)", cluster, newest.at());
      }
      case NONE -> {
        metrics.noGoodBackup(cluster);
        LOG.warn("Cluster {}: the components hold no complete backup", cluster);
      }
      case UNKNOWN -> {
        LOG.warn("Cluster {}: newest good backup not known yet, asking again in {}: {}", cluster, properties.lookupRetry(), newest.problem());
        return true;
      }
    }
    return false;
  }

  private void lookUp(String cluster) {
    if (lookUpOnce(cluster)) {
      try {
        lookups.schedule(() -> lookUp(cluster), properties.lookupRetry().toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException stopping) {
        // the orchestrator is shutting down
      }
    }
  }

  @Override
  public void destroy() {
    lookups.shutdownNow();
  }
}
