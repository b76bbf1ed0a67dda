package io.github.c8backup.sandbox.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A real S3-compatible object store: S3Proxy on its {@code filesystem-nio2} provider. Use
 * path-style access; the credentials are random per start. Objects are plain files under
 * {@code storageDirectory()/bucket}, deleted on {@link #close()}.
 *
 * <p>For outage tests it can be {@linkplain #stop() stopped}, which refuses connections on its
 * port, and {@linkplain #restart() started again} on the same port with the same credentials and
 * the same objects.
 *
 * <p>AWS SDK v2 clients (2.30+) must set {@code requestChecksumCalculation(WHEN_REQUIRED)}: S3Proxy
 * 2.6.0 rejects the default aws-chunked uploads with a CRC trailer (gaul/s3proxy#795).
 */
public final class S3ProxyProcess implements AutoCloseable {

  private static final String REGION = "us-east-1";
  private static final Duration READY_DEADLINE = Duration.ofSeconds(60);
  private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  private final URI endpoint;
  private final String accessKey;
  private final String secretKey;
  private final String bucket;
  private final Path storageDirectory;
  private final ManagedProcess process;

  private S3ProxyProcess(URI endpoint, String accessKey, String secretKey, String bucket, Path storageDirectory,
      ManagedProcess process) {
    this.endpoint = endpoint;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    this.bucket = bucket;
    this.storageDirectory = storageDirectory;
    this.process = process;
  }

  /** Starts S3Proxy and returns once it answers; {@code bucket} exists by then. */
  public static S3ProxyProcess start(String bucket) {
    if (bucket == null || !BUCKET_NAME.matcher(bucket).matches()) {
      throw new IllegalArgumentException("Not a valid S3 bucket name: " + bucket);
    }
    Path jar = Distributions.file("s3proxy-", "-jar-with-dependencies.jar");
    Path run = SandboxDirectories.newRun("s3proxy");
    Path storage = run.resolve("blobs");
    Path properties = run.resolve("s3proxy.properties");
    int port = FreePorts.pick(1)[0];
    URI endpoint = URI.create("http://127.0.0.1:" + port);
    String accessKey = "sandbox-" + randomHex(8);
    String secretKey = randomHex(20);
    try {
      // each folder under the basedir is a bucket. Not jclouds' older "filesystem" provider: its
      // listings return folder markers ("zeebe/7/") as if they were objects.
      Files.createDirectories(storage.resolve(bucket));
      Files.writeString(properties, String.join("\n",
          "s3proxy.endpoint=" + endpoint,
          "s3proxy.authorization=aws-v2-or-v4",
          "s3proxy.identity=" + accessKey,
          "s3proxy.credential=" + secretKey,
          "jclouds.provider=filesystem-nio2",
          // required by this provider, unused by a local folder
          "jclouds.identity=local",
          "jclouds.credential=local",
          "jclouds.filesystem.basedir=" + storage,
          ""));
    } catch (IOException e) {
      SandboxDirectories.deleteRecursively(run);
      throw new UncheckedIOException("Could not prepare " + run, e);
    }
    List<String> command = List.of(currentJava(), "-Xms64m", "-Xmx512m", "-jar", jar.toString(),
        "--properties", properties.toString());

    long started = System.nanoTime();
    ManagedProcess managed = ManagedProcess.start("s3proxy", command, Map.of(), run);
    S3ProxyProcess proxy = new S3ProxyProcess(endpoint, accessKey, secretKey, bucket, storage, managed);
    try {
      proxy.awaitReady(started);
      return proxy;
    } catch (RuntimeException e) {
      proxy.close();
      throw e;
    }
  }

  /** {@code http://127.0.0.1:PORT}; use path-style access. */
  public URI endpoint() {
    return endpoint;
  }

  public String region() {
    return REGION;
  }

  public String accessKey() {
    return accessKey;
  }

  public String secretKey() {
    return secretKey;
  }

  public String bucket() {
    return bucket;
  }

  /** The filesystem basedir: objects are files under {@code storageDirectory()/bucket}. */
  public Path storageDirectory() {
    return storageDirectory;
  }

  /**
   * Stops S3Proxy; its port refuses connections until {@link #restart()}. The stored objects,
   * port and credentials stay. Idempotent.
   */
  public void stop() {
    process.stop();
  }

  /**
   * Starts S3Proxy again (stopping it first if it runs) on the same port with the same credentials
   * and storage directory, so objects written before are there again. Returns once it answers.
   */
  public void restart() {
    long started = System.nanoTime();
    process.restart();
    awaitReady(started);
  }

  public boolean isRunning() {
    return process.isAlive();
  }

  /** Stops S3Proxy and deletes every stored object. */
  @Override
  public void close() {
    process.close();
  }

  ProcessHandle processHandle() {
    return process.handle();
  }

  @Override
  public String toString() {
    return "S3Proxy at " + endpoint + " (bucket " + bucket + " in " + storageDirectory + ")";
  }

  private void awaitReady(long startedNanos) {
    HttpClient http = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(1))
        .version(HttpClient.Version.HTTP_1_1)
        .build();
    HttpRequest probe = HttpRequest.newBuilder(endpoint.resolve("/")).timeout(Duration.ofSeconds(5)).GET().build();
    long deadline = startedNanos + READY_DEADLINE.toNanos();
    String lastAnswer = "no answer yet";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("S3Proxy stopped before it was ready: " + process.failureDetails());
      }
      try {
        // any HTTP answer (an anonymous request gets 403) means it is listening
        http.send(probe, HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException e) {
        lastAnswer = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for S3Proxy", e);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for S3Proxy", e);
      }
    }
    throw new IllegalStateException("S3Proxy was not ready within " + READY_DEADLINE.toSeconds() + " s (last: "
        + lastAnswer + "): " + process.failureDetails());
  }

  private static String currentJava() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  private static String randomHex(int bytes) {
    byte[] random = new byte[bytes];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
