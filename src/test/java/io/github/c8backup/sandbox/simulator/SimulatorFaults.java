package io.github.c8backup.sandbox.simulator;

import io.github.c8backup.sandbox.simulator.SimulatedHttpServer.Request;
import io.github.c8backup.sandbox.simulator.SimulatedHttpServer.Response;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Faults a test can inject into a running {@link CamundaTargetSimulator}. Each fault is real in its
 * effect: an unavailable component answers every request with the given status, a failed Zeebe
 * backup writes FAILED manifests to the store, a stalled one leaves them IN_PROGRESS, a refused
 * component's port is closed.
 *
 * <p>Request faults ({@link #failRequests}, {@link #delayResponses}) address requests by component
 * plus method and path fragment, either null for "any". On Zeebe's management port the requests
 * under {@code actuator/backupHistory} (8.8+) belong to {@link Component#WEBAPPS}, every other one
 * to {@link Component#ZEEBE}. The path fragment is matched against the raw path with the context
 * path and, when there is one, {@code ?query}. A request that matches a delay waits first and is
 * then failed or processed; when several failures match, the one injected first answers.
 */
public final class SimulatorFaults {

  /** Closes and binds a component's port; the simulator knows which port serves which component. */
  interface Ports {
    void refuse(Component component);

    void accept(Component component);

    void acceptAll();
  }

  private record RequestMatcher(Component component, String method, String pathContains) {

    boolean matches(Component requestComponent, Request request) {
      String target = request.rawQuery() == null ? request.path() : request.path() + "?" + request.rawQuery();
      return component == requestComponent
          && (method == null || method.equalsIgnoreCase(request.method()))
          && (pathContains == null || target.contains(pathContains));
    }
  }

  private record FailedRequests(RequestMatcher matcher, int httpStatus) {}

  private record DelayedResponses(RequestMatcher matcher, Duration delay) {}

  private final Ports ports;
  private final AtomicReference<Integer> nextExportingBodyStatus = new AtomicReference<>();
  private final Map<Component, Integer> unavailable = new ConcurrentHashMap<>();
  private final Set<Long> failingZeebeBackups = ConcurrentHashMap.newKeySet();
  private final Set<Long> stalledZeebeBackups = ConcurrentHashMap.newKeySet();
  private final AtomicInteger nextZeebeBackupsFailing = new AtomicInteger();
  private final java.util.concurrent.atomic.AtomicBoolean backupRangeBreak = new java.util.concurrent.atomic.AtomicBoolean();
  private final List<FailedRequests> failedRequests = new CopyOnWriteArrayList<>();
  private final List<DelayedResponses> delayedResponses = new CopyOnWriteArrayList<>();
  private volatile CountDownLatch releaseDelayed = new CountDownLatch(1);
  private final AtomicInteger heldRequests = new AtomicInteger();

  SimulatorFaults(Ports ports) {
    this.ports = ports;
  }

  /**
   * The next exporting call (pause, soft pause or resume) changes nothing and answers HTTP 200 with
   * {@code {"body":{"message":...},"status":bodyStatus,...}}, like a broker missing from the
   * topology (reference 2.1).
   */
  public void failNextExportingCall(int bodyStatus) {
    nextExportingBodyStatus.set(bodyStatus);
  }

  /** The component answers every request with {@code httpStatus} (e.g. 502, 503) until {@link #makeAvailable}. */
  public void makeUnavailable(Component component, int httpStatus) {
    unavailable.put(component, httpStatus);
  }

  public void makeAvailable(Component component) {
    unavailable.remove(component);
  }

  /** Zeebe backup {@code id}, when taken, ends FAILED on every partition with a failure reason. */
  public void failZeebeBackup(long id) {
    failingZeebeBackups.add(id);
  }

  /** Zeebe backup {@code id}, when taken, stays IN_PROGRESS forever (camunda/camunda#10547). */
  public void stallZeebeBackup(long id) {
    stalledZeebeBackups.add(id);
  }

  /**
   * The next Zeebe backup taken, whatever its ID (8.9 generates them), ends FAILED on every
   * partition. With continuous backups the log it did not back up is kept, so the backup after it
   * still chains to the one before: a failed backup alone does not break a range (reference 9).
   */
  public void failNextZeebeBackup() {
    nextZeebeBackupsFailing.incrementAndGet();
  }

  /**
   * 8.9 continuous backups: the next Zeebe backup starts a new backup range on every partition. The
   * brokers compact their log past one record that no backup holds (as a lost segment, or a time
   * without continuous backups, would), so the next backup's log starts after a gap: its
   * {@code firstLogPosition} lies beyond the previous backup's {@code checkpointPosition + 1}, the
   * state endpoint shows two ranges, and a restore cannot chain across them (reference 6.3, 7.5).
   */
  public void breakBackupRange() {
    backupRangeBreak.set(true);
  }

  /**
   * Matching requests answer {@code httpStatus} with Spring Boot's error body
   * ({@code timestamp, status, error, path}) and change nothing, until {@link #clear()}. Health
   * endpoints match too unless the path fragment excludes them.
   *
   * @param method HTTP method, or null for any
   * @param pathContains a fragment of the raw path (with context path and query), or null for any
   */
  public void failRequests(Component component, String method, String pathContains, int httpStatus) {
    if (httpStatus < 400 || httpStatus > 599) {
      throw new IllegalArgumentException("a failing request answers 4xx or 5xx, not " + httpStatus);
    }
    failedRequests.add(new FailedRequests(matcher(component, method, pathContains), httpStatus));
  }

  /**
   * Matching requests are answered only after {@code delay}, until {@link #clear()}; a long delay is
   * a hang. Nothing of the request is processed before the delay ends, so nothing changes while it
   * hangs, and other requests are answered meanwhile. {@link #clear()} and closing the simulator
   * release the waiting requests at once: after {@code clear()} they answer 503 unprocessed, on
   * close (or {@link #refuseConnections}, or stopping the brokers) their connection drops.
   *
   * @param method HTTP method, or null for any
   * @param pathContains a fragment of the raw path (with context path and query), or null for any
   */
  public void delayResponses(Component component, String method, String pathContains, Duration delay) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("a delay cannot be negative: " + delay);
    }
    delayedResponses.add(new DelayedResponses(matcher(component, method, pathContains), delay));
  }

  /**
   * Closes the port that serves {@code component}: new connections are refused
   * ({@link java.net.ConnectException}) and open ones drop, until {@link #acceptConnections} or
   * {@link #clear()} binds the same port again. A client that kept an idle keep-alive connection
   * gets an {@link java.io.IOException} such as {@code ClosedChannelException} on its next request
   * over it, as with a real server that went away. Components that share
   * a port go down together: on 8.8+ {@link Component#WEBAPPS} is served on Zeebe's management
   * port, so refusing either one refuses both. OPERATE and TASKLIST have a port only on 8.6/8.7,
   * OPTIMIZE only when enabled; other components throw {@link IllegalArgumentException}. Survives
   * {@link CamundaTargetSimulator#stopBrokers()} and {@link CamundaTargetSimulator#startBrokers()}.
   */
  public void refuseConnections(Component component) {
    ports.refuse(component);
  }

  /** Binds the port of {@code component} again, on the same port number. Idempotent. */
  public void acceptConnections(Component component) {
    ports.accept(component);
  }

  /**
   * Removes every fault: requests waiting for a delay are released (503), refused ports accept
   * connections again. A backup already stalled stays stalled.
   */
  public void clear() {
    nextExportingBodyStatus.set(null);
    unavailable.clear();
    failingZeebeBackups.clear();
    stalledZeebeBackups.clear();
    nextZeebeBackupsFailing.set(0);
    backupRangeBreak.set(false);
    failedRequests.clear();
    delayedResponses.clear();
    releaseDelayed();
    ports.acceptAll();
  }

  private static RequestMatcher matcher(Component component, String method, String pathContains) {
    return new RequestMatcher(Objects.requireNonNull(component, "component"), method, pathContains);
  }

  /** Wakes every request waiting for a delay; later delays wait afresh. */
  void releaseDelayed() {
    CountDownLatch released = releaseDelayed;
    releaseDelayed = new CountDownLatch(1);
    released.countDown();
  }

  /**
   * The request faults for one request: waits out a matching delay, then answers a matching
   * failure; empty when the request is to be processed.
   *
   * @throws InterruptedException when the server closes while the request waits
   */
  Optional<Response> apply(Component component, Request request) throws InterruptedException {
    CountDownLatch release = releaseDelayed;
    Optional<Duration> delay = delayedResponses.stream()
        .filter(d -> d.matcher().matches(component, request))
        .map(DelayedResponses::delay)
        .findFirst();
    if (delay.isPresent() && held(release, delay.get())) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("status", 503);
      body.put("error", "Service Unavailable");
      body.put("message", "Released from an injected delay by SimulatorFaults.clear() (Camunda target simulator); not processed");
      body.put("path", request.path());
      return Optional.of(Response.json(503, body));
    }
    return failedRequests.stream()
        .filter(f -> f.matcher().matches(component, request))
        .findFirst()
        .map(f -> Response.springError(f.httpStatus(), reasonPhrase(f.httpStatus()), request.path()));
  }

  /** Waits out the delay; true when released early. */
  private boolean held(CountDownLatch release, Duration delay) throws InterruptedException {
    heldRequests.incrementAndGet();
    try {
      return release.await(delay.toNanos(), TimeUnit.NANOSECONDS);
    } finally {
      heldRequests.decrementAndGet();
    }
  }

  /** Requests waiting for an injected delay right now (for tests that must know they arrived). */
  int heldRequests() {
    return heldRequests.get();
  }

  private static String reasonPhrase(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> status < 500 ? "Client Error" : "Server Error";
    };
  }

  Optional<Integer> takeExportingFailure() {
    return Optional.ofNullable(nextExportingBodyStatus.getAndSet(null));
  }

  Optional<Integer> unavailability(Component component) {
    return Optional.ofNullable(unavailable.get(component));
  }

  boolean failsZeebeBackup(long id) {
    return failingZeebeBackups.contains(id);
  }

  boolean stallsZeebeBackup(long id) {
    return stalledZeebeBackups.contains(id);
  }

  /** True (once per {@link #failNextZeebeBackup()}) when the backup being taken is to fail. */
  boolean takeNextZeebeBackupFailure() {
    return nextZeebeBackupsFailing.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
  }

  /** True (once per {@link #breakBackupRange()}) when the backup being taken is to start a new range. */
  boolean takeBackupRangeBreak() {
    return backupRangeBreak.getAndSet(false);
  }
}
