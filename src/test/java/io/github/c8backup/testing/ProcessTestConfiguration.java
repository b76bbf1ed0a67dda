package io.github.c8backup.testing;

import io.github.c8backup.config.OrchestratorProperties;
import io.github.c8backup.restore.FakePlatform;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The one Spring context of all process tests: the real workers against in-memory clusters and a
 * recording platform. One context for every process test class matters: a second context would
 * run a second set of workers against the same shared engine and take the first one's jobs.
 */
@TestConfiguration
public class ProcessTestConfiguration {

  @Bean
  @Primary
  FakeCluster fakeCluster(OrchestratorProperties properties) {
    return new FakeCluster(properties.clusters());
  }

  @Bean
  @Primary
  FakeDatabases fakeDatabases() {
    return new FakeDatabases();
  }

  @Bean
  FakePlatform fakePlatform() {
    return new FakePlatform();
  }
}
