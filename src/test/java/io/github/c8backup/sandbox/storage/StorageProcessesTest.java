package io.github.c8backup.sandbox.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Starts, stops and restarts the real storage processes of the sandbox; takes about a minute. */
class StorageProcessesTest {

  private static final String REPOSITORY = "sandbox-backups";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void openSearchSnapshotsAnIndexIntoItsFsRepositoryAndStopsOnClose() throws Exception {
    snapshotsAnIndexAndStopsOnClose(SearchEngineKind.OPENSEARCH);
  }

  @Test
  void elasticsearchSnapshotsAnIndexIntoItsFsRepositoryAndStopsOnClose() throws Exception {
    snapshotsAnIndexAndStopsOnClose(SearchEngineKind.ELASTICSEARCH);
  }

  @Test
  void s3ProxyStoresListsAndDeletesObjectsThroughTheAwsSdk() throws Exception {
    // given
    long started = System.nanoTime();
    S3ProxyProcess store = S3ProxyProcess.start("camunda-backups");
    report("S3Proxy", started);
    List<ProcessHandle> tree = tree(store.processHandle());
    Path storage = store.storageDirectory();
    try (store; S3Client s3 = s3Client(store)) {
      // when
      s3.putObject(put -> put.bucket(store.bucket()).key("zeebe/7/manifest.json"),
          RequestBody.fromString("{\"backupId\":7}"));
      String read = s3.getObjectAsBytes(get -> get.bucket(store.bucket()).key("zeebe/7/manifest.json")).asUtf8String();
      List<String> listed = s3.listObjectsV2(list -> list.bucket(store.bucket()).prefix("zeebe/"))
          .contents().stream().map(S3Object::key).toList();
      List<String> folders = s3.listObjectsV2(list -> list.bucket(store.bucket()).delimiter("/"))
          .commonPrefixes().stream().map(CommonPrefix::prefix).toList();
      Path file = storage.resolve(store.bucket()).resolve("zeebe/7/manifest.json");
      boolean storedAsFile = Files.isRegularFile(file);
      s3.deleteObject(delete -> delete.bucket(store.bucket()).key("zeebe/7/manifest.json"));
      List<S3Object> afterDelete = s3.listObjectsV2(list -> list.bucket(store.bucket())).contents();

      // then
      assertThat(read).isEqualTo("{\"backupId\":7}");
      assertThat(listed).containsExactly("zeebe/7/manifest.json");
      assertThat(folders).containsExactly("zeebe/");
      assertThat(storedAsFile).as("object stored as %s", file).isTrue();
      assertThat(afterDelete).isEmpty();
    }
    assertThat(tree).noneMatch(ProcessHandle::isAlive);
    assertThat(storage).doesNotExist();
  }

  @Test
  void s3ProxyRestartedAfterAStopServesTheSameObjectsOnTheSamePortAndRefusedConnectionsMeanwhile() throws Exception {
    // given
    S3ProxyProcess store = S3ProxyProcess.start("zeebe-backups");
    Path storage = store.storageDirectory();
    try (store; S3Client s3 = s3Client(store)) {
      s3.putObject(put -> put.bucket(store.bucket()).key("manifests/1/7/0/manifest.json"),
          RequestBody.fromString("{\"backupId\":7}"));

      // when
      store.stop();
      Throwable whileStopped = connectionFailure(store.endpoint());
      boolean runningWhileStopped = store.isRunning();
      long started = System.nanoTime();
      store.restart();
      report("S3Proxy restart", started);
      // the very same client: same endpoint, same credentials
      String read = s3.getObjectAsBytes(get -> get.bucket(store.bucket()).key("manifests/1/7/0/manifest.json"))
          .asUtf8String();

      // then
      assertThat(whileStopped).isInstanceOf(ConnectException.class);
      assertThat(runningWhileStopped).isFalse();
      assertThat(read).isEqualTo("{\"backupId\":7}");
    }
    assertThat(storage).doesNotExist();
  }

  @Test
  void openSearchRestartedAfterAStopKeepsItsIndicesSnapshotsAndRepositorySettings() throws Exception {
    // given
    SearchEngineProcess engine = SearchEngineProcess.start(SearchEngineKind.OPENSEARCH, REPOSITORY);
    try (engine) {
      engine.registerSnapshotRepository(Map.of("max_snapshot_bytes_per_sec", "512kb"));
      assertThat(send(engine.url(), "PUT", "/orders/_doc/1?refresh=true", "{\"order\":1}").statusCode())
          .isIn(200, 201);
      HttpResponse<String> snapshot = send(engine.url(), "PUT",
          "/_snapshot/" + REPOSITORY + "/before-stop?wait_for_completion=true", "{\"indices\":\"orders\"}");
      assertThat(snapshot.statusCode()).as(snapshot.body()).isEqualTo(200);

      // when
      engine.stop();
      Throwable whileStopped = connectionFailure(engine.url());
      long started = System.nanoTime();
      engine.restart();
      report("OPENSEARCH restart", started);

      // then
      assertThat(whileStopped).isInstanceOf(ConnectException.class);
      JsonNode snapshots = JSON.readTree(send(engine.url(), "GET", "/_snapshot/" + REPOSITORY + "/before-stop", "").body());
      assertThat(snapshots.path("snapshots").get(0).path("state").asText()).isEqualTo("SUCCESS");
      JsonNode repository = JSON.readTree(send(engine.url(), "GET", "/_snapshot/" + REPOSITORY, "").body());
      assertThat(repository.path(REPOSITORY).path("settings").path("location").asText())
          .isEqualTo(engine.snapshotDirectory().toString());
      assertThat(repository.path(REPOSITORY).path("settings").path("max_snapshot_bytes_per_sec").asText())
          .isEqualTo("512kb");
      JsonNode order = JSON.readTree(send(engine.url(), "GET", "/orders/_doc/1", "").body());
      assertThat(order.path("_source").path("order").asInt()).isEqualTo(1);
    }
  }

  /** What a plain TCP connect to the endpoint's port throws, or null when it connects. */
  private static Throwable connectionFailure(URI endpoint) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 2000);
      return null;
    } catch (IOException e) {
      return e;
    }
  }

  private void snapshotsAnIndexAndStopsOnClose(SearchEngineKind kind) throws Exception {
    // given
    long started = System.nanoTime();
    SearchEngineProcess engine = SearchEngineProcess.start(kind, REPOSITORY);
    report(kind.toString(), started);
    List<ProcessHandle> tree = tree(engine.processHandle());
    Path repository = engine.snapshotDirectory();
    try (engine) {
      assertThat(send(engine.url(), "PUT", "/orders/_doc/1?refresh=true", "{\"order\":1}").statusCode())
          .isIn(200, 201);

      // when
      HttpResponse<String> snapshot = send(engine.url(), "PUT",
          "/_snapshot/" + REPOSITORY + "/snap1?wait_for_completion=true", "{\"indices\":\"orders\"}");

      // then
      assertThat(snapshot.statusCode()).as(snapshot.body()).isEqualTo(200);
      JsonNode info = JSON.readTree(snapshot.body()).path("snapshot");
      assertThat(info.path("state").asText()).isEqualTo("SUCCESS");
      assertThat(info.path("indices")).extracting(JsonNode::asText).containsExactly("orders");
      try (Stream<Path> files = Files.list(repository)) {
        assertThat(files.map(path -> path.getFileName().toString())).anyMatch(name -> name.startsWith("index-"));
      }
    }
    assertThat(tree).noneMatch(ProcessHandle::isAlive);
    assertThat(repository).doesNotExist();
  }

  private HttpResponse<String> send(URI base, String method, String path, String json)
      throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
        .timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(json))
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Since SDK 2.30 uploads default to aws-chunked bodies with a CRC trailer, which S3Proxy 2.6.0
   * rejects over plain HTTP ("x-amz-content-sha256 header does not match"): checksums only when required.
   */
  private static S3Client s3Client(S3ProxyProcess store) {
    return S3Client.builder()
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .endpointOverride(store.endpoint())
        .forcePathStyle(true)
        .region(Region.of(store.region()))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(store.accessKey(), store.secretKey())))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  private static List<ProcessHandle> tree(ProcessHandle root) {
    return Stream.concat(Stream.of(root), root.descendants()).toList();
  }

  private static void report(String what, long startedNanos) {
    System.out.printf("%s ready in %d ms%n", what, Duration.ofNanos(System.nanoTime() - startedNanos).toMillis());
  }
}
