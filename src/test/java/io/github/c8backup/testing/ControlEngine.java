package io.github.c8backup.testing;

import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.engine.EngineFactory;
import io.camunda.zeebe.process.test.filters.RecordStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * The control engine of tests and the sandbox: Zeebe Process Test's in-memory engine with its
 * gRPC gateway on a free port. Test scope only; the orchestrator connects to it through
 * {@code camunda.client.grpc-address} exactly as to any Camunda cluster.
 */
public final class ControlEngine implements AutoCloseable {

  private static ControlEngine shared;

  private final ZeebeTestEngine engine;
  private final int port;

  private ControlEngine(int port) {
    this.port = port;
    this.engine = EngineFactory.create(port);
    engine.start();
    deployHeartbeat();
  }

  /**
   * A timer start event that fires every two seconds. Under load, the in-memory engine was seen
   * once to leave a due timer (a poll interval) unfired for minutes; every timer the heartbeat
   * fires runs the engine's due-date check, which then also fires any other timer that is due.
   * It did not prevent every stall (one more was seen afterwards; surefire reruns a failed test
   * once). Test and sandbox harness only; a real Camunda needs no such thing.
   */
  private void deployHeartbeat() {
    var model = io.camunda.zeebe.model.bpmn.Bpmn.createExecutableProcess(HEARTBEAT_PROCESS)
        .startEvent().timerWithCycle("R/PT2S").endEvent().done();
    try (var client = engine.createClient()) {
      client.newDeployResourceCommand().addProcessModel(model, HEARTBEAT_PROCESS + ".bpmn").send().join();
    }
  }

  public static final String HEARTBEAT_PROCESS = "control-engine-heartbeat";

  public static ControlEngine start(int port) {
    return new ControlEngine(port == 0 ? freePort() : port);
  }

  /** One engine for the whole test JVM; its threads are not daemons, so a shutdown hook stops it. */
  public static synchronized ControlEngine shared() {
    if (shared == null) {
      shared = start(0);
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "control-engine-stop"));
    }
    return shared;
  }

  public ZeebeTestEngine engine() {
    return engine;
  }

  public RecordStream records() {
    return RecordStream.of(engine.getRecordStreamSource());
  }

  /** What {@code camunda.client.grpc-address} must say; the gateway listens on all interfaces. */
  public String grpcAddress() {
    return "http://localhost:" + port;
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    engine.stop();
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
