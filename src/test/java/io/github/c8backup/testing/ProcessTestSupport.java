package io.github.c8backup.testing;

import io.github.c8backup.BackupOrchestratorApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the process tests: they all share one Spring context (see {@link ProcessTestConfiguration})
 * connected to the JVM's one control engine.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, classes = {BackupOrchestratorApplication.class, ProcessTestConfiguration.class})
@ActiveProfiles("processtest")
public abstract class ProcessTestSupport {

  protected static final ControlEngine ENGINE = ControlEngine.shared();

  @DynamicPropertySource
  static void controlEngine(DynamicPropertyRegistry registry) {
    registry.add("camunda.client.grpc-address", ENGINE::grpcAddress);
  }
}
