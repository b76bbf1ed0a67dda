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
  }

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
