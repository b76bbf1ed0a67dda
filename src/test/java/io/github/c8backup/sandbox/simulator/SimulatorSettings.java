package io.github.c8backup.sandbox.simulator;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link CamundaTargetSimulator}. The exact Camunda version matters only through its
 * minor (8.6 to 8.9), which decides paths, ports, index names and behaviour; the full version goes
 * into snapshot names, manifests and the topology like on a real cluster.
 *
 * <p>Ports are 0 (ephemeral) by default so several simulators and tests can run side by side;
 * {@link Builder#realPorts()} binds the real defaults (reference 1.3) instead.
 *
 * @param contextPath prefix of every Zeebe/Operate/Tasklist management path (not Optimize's,
 *     reference 1.3), "" or a path such as "/example"
 * @param recordsExporterEnabled whether an ES/OS exporter writes {@code zeebe-record*}; always true
 *     for 8.6/8.7 (the importers need it), on 8.8+ it defaults to {@code optimizeEnabled} like the
 *     Helm chart (reference 5)
 * @param optimizeSaysComplete Optimize answers the documented {@code COMPLETE} instead of the
 *     {@code COMPLETED} its code returns (reference 4), to test clients against both spellings
 * @param backupDuration how long a Zeebe backup, and each web application or Optimize snapshot
 *     part before it is taken, stays IN_PROGRESS
 * @param s3BasePath Zeebe's {@code s3.basePath}: no leading or trailing slash; "" for none
 * @param dataDirectory where the simulated brokers keep their state, one folder per node
 *     ({@code node-0/}); null means a temporary directory the simulator creates and deletes on
 *     close. A given directory is kept, so a simulator started on it again resumes its state.
 */
public record SimulatorSettings(
    String camundaVersion,
    int partitions,
    String host,
    int zeebeManagementPort,
    int gatewayRestPort,
    int operatePort,
    int tasklistPort,
    int optimizePort,
    String contextPath,
    boolean optimizeEnabled,
    boolean optimizeSaysComplete,
    boolean recordsExporterEnabled,
    Duration backupDuration,
    URI searchUrl,
    boolean elasticsearch,
    String snapshotRepository,
    URI s3Endpoint,
    String s3Region,
    String s3AccessKey,
    String s3SecretKey,
    String s3Bucket,
    String s3BasePath,
    Path dataDirectory) {

  public static final int REAL_ZEEBE_MANAGEMENT_PORT = 9600;
  public static final int REAL_GATEWAY_REST_PORT = 8080;
  public static final int REAL_OPTIMIZE_PORT = 8092;

  public SimulatorSettings {
    Objects.requireNonNull(camundaVersion, "camundaVersion");
    minorOf(camundaVersion); // fails early on an unsupported version
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
    }
    host = host == null || host.isBlank() ? "127.0.0.1" : host;
    contextPath = normalizeContextPath(contextPath);
    // 8.6/8.7: Operate, Tasklist and Optimize import from zeebe-record*, so the exporter always runs (reference 5)
    recordsExporterEnabled = recordsExporterEnabled || !isAtLeast88(camundaVersion);
    backupDuration = backupDuration == null ? Duration.ofSeconds(2) : backupDuration;
    Objects.requireNonNull(searchUrl, "searchUrl");
    snapshotRepository = snapshotRepository == null ? "camunda-backups" : snapshotRepository;
    Objects.requireNonNull(s3Endpoint, "s3Endpoint");
    s3Region = s3Region == null ? "us-east-1" : s3Region;
    Objects.requireNonNull(s3Bucket, "s3Bucket");
    s3BasePath = s3BasePath == null ? "" : s3BasePath.replaceAll("^/+|/+$", "");
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.camundaVersion = camundaVersion;
    b.partitions = partitions;
    b.host = host;
    b.zeebeManagementPort = zeebeManagementPort;
    b.gatewayRestPort = gatewayRestPort;
    b.operatePort = operatePort;
    b.tasklistPort = tasklistPort;
    b.optimizePort = optimizePort;
    b.contextPath = contextPath;
    b.optimizeEnabled = optimizeEnabled;
    b.optimizeSaysComplete = optimizeSaysComplete;
    b.recordsExporterEnabled = recordsExporterEnabled;
    b.backupDuration = backupDuration;
    b.searchUrl = searchUrl;
    b.elasticsearch = elasticsearch;
    b.snapshotRepository = snapshotRepository;
    b.s3Endpoint = s3Endpoint;
    b.s3Region = s3Region;
    b.s3AccessKey = s3AccessKey;
    b.s3SecretKey = s3SecretKey;
    b.s3Bucket = s3Bucket;
    b.s3BasePath = s3BasePath;
    b.dataDirectory = dataDirectory;
    return b;
  }

  /** "8.6", "8.7", "8.8" or "8.9". */
  public String minorVersion() {
    return minorOf(camundaVersion);
  }

  /** 8.8+: one orchestration cluster; webapps backed up through {@code backupHistory} (reference 3.2). */
  public boolean combinedWebapps() {
    return isAtLeast88(camundaVersion);
  }

  public boolean is89() {
    return minorVersion().equals("8.9");
  }

  @Override
  public String toString() {
    return "SimulatorSettings[camundaVersion=" + camundaVersion + ", partitions=" + partitions
        + ", host=" + host + ", contextPath='" + contextPath + "', optimizeEnabled=" + optimizeEnabled
        + ", recordsExporterEnabled=" + recordsExporterEnabled + ", backupDuration=" + backupDuration
        + ", searchUrl=" + searchUrl + ", elasticsearch=" + elasticsearch
        + ", snapshotRepository=" + snapshotRepository + ", s3Endpoint=" + s3Endpoint
        + ", s3Bucket=" + s3Bucket + ", s3BasePath=" + s3BasePath + ", dataDirectory=" + dataDirectory
        + ", s3AccessKey=" + s3AccessKey
        + ", s3SecretKey=***]";
  }

  private static String minorOf(String version) {
    for (String minor : new String[] {"8.6", "8.7", "8.8", "8.9"}) {
      if (version.equals(minor) || version.startsWith(minor + ".") || version.startsWith(minor + "-")) {
        return minor;
      }
    }
    throw new IllegalArgumentException(
        "The Camunda target simulator supports 8.6 to 8.9, got '" + version + "'");
  }

  private static boolean isAtLeast88(String version) {
    String minor = minorOf(version);
    return minor.equals("8.8") || minor.equals("8.9");
  }

  private static String normalizeContextPath(String path) {
    if (path == null || path.isBlank() || path.equals("/")) {
      return "";
    }
    String trimmed = path.trim().replaceAll("/+$", "");
    return trimmed.startsWith("/") ? trimmed : "/" + trimmed;
  }

  /** Mutable builder with the defaults named in the class comment. */
  public static final class Builder {
    private String camundaVersion = "8.8.3";
    private int partitions = 3;
    private String host = "127.0.0.1";
    private int zeebeManagementPort;
    private int gatewayRestPort;
    private int operatePort;
    private int tasklistPort;
    private int optimizePort;
    private String contextPath = "";
    private boolean optimizeEnabled;
    private boolean optimizeSaysComplete;
    private Boolean recordsExporterEnabled;
    private Duration backupDuration = Duration.ofSeconds(2);
    private URI searchUrl;
    private boolean elasticsearch;
    private String snapshotRepository = "camunda-backups";
    private URI s3Endpoint;
    private String s3Region = "us-east-1";
    private String s3AccessKey;
    private String s3SecretKey;
    private String s3Bucket;
    private String s3BasePath = "";
    private Path dataDirectory;

    private Builder() {}

    public Builder camundaVersion(String value) { camundaVersion = value; return this; }
    public Builder partitions(int value) { partitions = value; return this; }
    public Builder host(String value) { host = value; return this; }
    public Builder zeebeManagementPort(int value) { zeebeManagementPort = value; return this; }
    public Builder gatewayRestPort(int value) { gatewayRestPort = value; return this; }
    public Builder operatePort(int value) { operatePort = value; return this; }
    public Builder tasklistPort(int value) { tasklistPort = value; return this; }
    public Builder optimizePort(int value) { optimizePort = value; return this; }
    public Builder contextPath(String value) { contextPath = value; return this; }
    public Builder optimizeEnabled(boolean value) { optimizeEnabled = value; return this; }
    public Builder optimizeSaysComplete(boolean value) { optimizeSaysComplete = value; return this; }
    public Builder recordsExporterEnabled(boolean value) { recordsExporterEnabled = value; return this; }
    public Builder backupDuration(Duration value) { backupDuration = value; return this; }
    public Builder searchUrl(URI value) { searchUrl = value; return this; }
    public Builder elasticsearch(boolean value) { elasticsearch = value; return this; }
    public Builder snapshotRepository(String value) { snapshotRepository = value; return this; }
    public Builder s3Endpoint(URI value) { s3Endpoint = value; return this; }
    public Builder s3Region(String value) { s3Region = value; return this; }
    public Builder s3AccessKey(String value) { s3AccessKey = value; return this; }
    public Builder s3SecretKey(String value) { s3SecretKey = value; return this; }
    public Builder s3Bucket(String value) { s3Bucket = value; return this; }
    public Builder s3BasePath(String value) { s3BasePath = value; return this; }
    public Builder dataDirectory(Path value) { dataDirectory = value; return this; }

    /**
     * The real ports (reference 1.3): Zeebe management 9600, gateway REST 8080, Optimize 8092.
     * Operate and Tasklist also use 9600 on their own hosts; on one host they get 9601 and 9602.
     */
    public Builder realPorts() {
      zeebeManagementPort = REAL_ZEEBE_MANAGEMENT_PORT;
      gatewayRestPort = REAL_GATEWAY_REST_PORT;
      operatePort = REAL_ZEEBE_MANAGEMENT_PORT + 1;
      tasklistPort = REAL_ZEEBE_MANAGEMENT_PORT + 2;
      optimizePort = REAL_OPTIMIZE_PORT;
      return this;
    }

    /** Search engine and repository in one call. */
    public Builder search(URI url, boolean isElasticsearch, String repository) {
      searchUrl = url;
      elasticsearch = isElasticsearch;
      snapshotRepository = repository;
      return this;
    }

    /** Zeebe's S3 backup store in one call. */
    public Builder s3(URI endpoint, String region, String accessKey, String secretKey, String bucket) {
      s3Endpoint = endpoint;
      s3Region = region;
      s3AccessKey = accessKey;
      s3SecretKey = secretKey;
      s3Bucket = bucket;
      return this;
    }

    public SimulatorSettings build() {
      boolean exporter = recordsExporterEnabled != null ? recordsExporterEnabled : optimizeEnabled;
      return new SimulatorSettings(camundaVersion, partitions, host, zeebeManagementPort,
          gatewayRestPort, operatePort, tasklistPort, optimizePort, contextPath, optimizeEnabled,
          optimizeSaysComplete, exporter, backupDuration, searchUrl, elasticsearch,
          snapshotRepository, s3Endpoint, s3Region, s3AccessKey, s3SecretKey, s3Bucket, s3BasePath,
          dataDirectory);
    }
  }
}
