package io.github.c8backup.sandbox.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Zeebe's backup store on S3, the truth about Zeebe backups: manifests at
 * {@code {basePath}/manifests/{partitionId}/{backupId}/{nodeId}/manifest.json} and content objects
 * under {@code {basePath}/contents/{partitionId}/{backupId}/{nodeId}/}. Every read goes to the store,
 * so a simulator restarted on the same bucket still knows its backups. Every failure of the store
 * (not reachable, or an S3 error answer) is a {@link BackupStoreUnavailable} naming the store error.
 */
final class ZeebeBackupStore implements AutoCloseable {

  private static final Pattern MANIFEST_KEY =
      Pattern.compile(".*manifests/(\\d+)/(\\d+)/(\\d+)/manifest\\.json$");

  private final S3Client s3;
  private final URI endpoint;
  private final String bucket;
  private final String root;
  private final ObjectMapper mapper;

  ZeebeBackupStore(SimulatorSettings settings, ObjectMapper mapper) {
    this.bucket = settings.s3Bucket();
    this.endpoint = URI.create(settings.s3Endpoint().toString());
    this.root = settings.s3BasePath().isEmpty() ? "" : settings.s3BasePath() + "/";
    this.mapper = mapper;
    AwsCredentialsProvider credentials = settings.s3AccessKey() == null
        ? AnonymousCredentialsProvider.create()
        : StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.s3AccessKey(), settings.s3SecretKey()));
    this.s3 = S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.of(settings.s3Region()))
        .credentialsProvider(credentials)
        .forcePathStyle(true) // Zeebe against S3-compatible stores needs path style (local-stack.md)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  String manifestKey(int partitionId, long backupId, int nodeId) {
    return root + "manifests/" + partitionId + "/" + backupId + "/" + nodeId + "/manifest.json";
  }

  String contentPrefix(int partitionId, long backupId, int nodeId) {
    return root + "contents/" + partitionId + "/" + backupId + "/" + nodeId + "/";
  }

  void putManifest(ObjectNode manifest) {
    String key = manifestKey(manifest.path("partitionId").asInt(), manifest.path("backupId").asLong(),
        manifest.path("nodeId").asInt());
    put(key, manifest.toPrettyString());
  }

  /**
   * The partition's backup metadata (8.9: Zeebe's per-partition {@code BackupMetadataManifest},
   * which the restore application reads instead of listing the store, camunda/camunda#46729): here
   * only the IDs of the checkpoints the partition's state knows. The real file also carries the
   * checkpoints' details and the ranges; the simulator reads those from the backups' manifests.
   */
  void putMetadata(int partitionId, List<Long> checkpointIds) {
    ObjectNode metadata = mapper.createObjectNode();
    metadata.put("partitionId", partitionId);
    metadata.put("lastUpdated", java.time.Instant.now().toString());
    checkpointIds.forEach(metadata.putArray("checkpointIds")::add);
    put(metadataKey(partitionId), metadata.toPrettyString());
  }

  /** The checkpoint IDs of {@link #putMetadata}, empty when the partition has no metadata yet. */
  java.util.Optional<java.util.Set<Long>> metadata(int partitionId) {
    return content(metadataKey(partitionId)).map(text -> {
      try {
        java.util.Set<Long> ids = new java.util.HashSet<>();
        mapper.readTree(text).path("checkpointIds").forEach(id -> ids.add(id.asLong()));
        return ids;
      } catch (java.io.IOException e) {
        throw new IllegalStateException("unreadable backup metadata of partition " + partitionId, e);
      }
    });
  }

  private String metadataKey(int partitionId) {
    return root + "metadata/" + partitionId + "/manifest.json";
  }

  /** Writes a content object and returns its key. */
  String putContent(int partitionId, long backupId, int nodeId, String relativeName, String content) {
    String key = contentPrefix(partitionId, backupId, nodeId) + relativeName;
    put(key, content);
    return key;
  }

  /** All manifests of one backup, any partition and node. */
  List<ObjectNode> manifests(long backupId, int partitions) {
    List<ObjectNode> result = new ArrayList<>();
    for (int partition = 1; partition <= partitions; partition++) {
      for (String key : keys(root + "manifests/" + partition + "/" + backupId + "/")) {
        if (MANIFEST_KEY.matcher(key).matches()) {
          result.add(readManifest(key));
        }
      }
    }
    return result;
  }

  /** Every manifest in the store, grouped by backup ID. */
  Map<Long, List<ObjectNode>> allManifests() {
    Map<Long, List<ObjectNode>> result = new TreeMap<>();
    for (String key : keys(root + "manifests/")) {
      Matcher matcher = MANIFEST_KEY.matcher(key);
      if (matcher.matches()) {
        result.computeIfAbsent(Long.parseLong(matcher.group(2)), id -> new ArrayList<>()).add(readManifest(key));
      }
    }
    return result;
  }

  /** IDs of every backup with a manifest in the store, read from the keys alone. */
  List<Long> backupIds() {
    return keys(root + "manifests/").stream()
        .map(MANIFEST_KEY::matcher)
        .filter(Matcher::matches)
        .map(matcher -> Long.parseLong(matcher.group(2)))
        .distinct()
        .toList();
  }

  /** Partition IDs with a manifest of this backup, read from the keys alone (any partition count). */
  java.util.SortedSet<Integer> partitionsOf(long backupId) {
    java.util.SortedSet<Integer> partitions = new java.util.TreeSet<>();
    for (String key : keys(root + "manifests/")) {
      Matcher matcher = MANIFEST_KEY.matcher(key);
      if (matcher.matches() && Long.parseLong(matcher.group(2)) == backupId) {
        partitions.add(Integer.parseInt(matcher.group(1)));
      }
    }
    return partitions;
  }

  /** A content object's text, or empty when it does not exist. */
  java.util.Optional<String> content(String key) {
    try {
      return java.util.Optional.of(s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asUtf8String());
    } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
      return java.util.Optional.empty();
    } catch (SdkException e) {
      throw unavailable("read " + key, e);
    }
  }

  /** Deletes one manifest (a backup whose other manifests could not be written). */
  void deleteManifest(ObjectNode manifest) {
    delete(manifestKey(manifest.path("partitionId").asInt(), manifest.path("backupId").asLong(),
        manifest.path("nodeId").asInt()));
  }

  /** Deletes the content objects of a backup on every partition. */
  void deleteContents(long backupId, int partitions) {
    for (int partition = 1; partition <= partitions; partition++) {
      keys(root + "contents/" + partition + "/" + backupId + "/").forEach(this::delete);
    }
  }

  /** Deletes the manifests of a backup on every partition. */
  void deleteManifests(long backupId, int partitions) {
    for (int partition = 1; partition <= partitions; partition++) {
      keys(root + "manifests/" + partition + "/" + backupId + "/").forEach(this::delete);
    }
  }

  List<String> keys(String prefix) {
    List<String> keys = new ArrayList<>();
    try {
      // S3Proxy's filesystem backend also lists folders as "…/" keys; deleting one stalls about 10 s
      s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents().stream()
          .map(S3Object::key)
          .filter(key -> !key.endsWith("/"))
          .forEach(keys::add);
    } catch (SdkException e) {
      throw unavailable("list " + prefix + "*", e);
    }
    return keys;
  }

  private ObjectNode readManifest(String key) {
    try {
      return (ObjectNode) mapper.readTree(s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asUtf8String());
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable manifest " + key, e);
    } catch (SdkException e) {
      throw unavailable("read " + key, e);
    }
  }

  private void put(String key, String content) {
    try {
      s3.putObject(r -> r.bucket(bucket).key(key).contentType("application/json"), RequestBody.fromString(content));
    } catch (SdkException e) {
      throw unavailable("write " + key, e);
    }
  }

  private void delete(String key) {
    try {
      s3.deleteObject(r -> r.bucket(bucket).key(key));
    } catch (SdkException e) {
      throw unavailable("delete " + key, e);
    }
  }

  private BackupStoreUnavailable unavailable(String operation, SdkException e) {
    return new BackupStoreUnavailable("S3 backup store " + endpoint + " bucket " + bucket + ": could not " + operation
        + ": " + e.getMessage(), e);
  }

  @Override
  public void close() {
    s3.close();
  }
}
