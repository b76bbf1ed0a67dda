package io.github.c8backup.compose;

import io.camunda.client.spring.properties.CamundaClientProperties;
import io.github.c8backup.config.CamundaVersion;
import io.github.c8backup.config.ManagementEndpoint;
import io.github.c8backup.config.OrchestratorProperties;
import io.github.c8backup.config.SearchEndpoint;
import io.github.c8backup.config.TargetCluster;
import io.github.c8backup.image.JibImage;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Checks that docker-compose.yml and the application agree: the orchestrator's environment binds
 * to real properties, its URLs reach services on the ports their images listen on, and the names
 * shared between services (snapshot repository, bucket, credentials) are the same everywhere. The
 * orchestrator is the service that runs the image pom.xml builds.
 * Returns problems rather than throwing, so a test can break one thing and see exactly that
 * problem reported.
 */
final class ComposeAgreement {

  /** What a container image is, for the ports it listens on. */
  enum Kind {
    CAMUNDA,
    ELASTICSEARCH,
    OPENSEARCH,
    OPTIMIZE,
    S3PROXY,
    OTHER;

    static Kind of(String image) {
      if (image == null) {
        return OTHER;
      }
      String repository = image.replaceFirst(":[^/:]+$", "");
      if (repository.equals("camunda/camunda")) {
        return CAMUNDA;
      }
      if (repository.endsWith("elasticsearch/elasticsearch") || repository.equals("elasticsearch")) {
        return ELASTICSEARCH;
      }
      if (repository.endsWith("opensearchproject/opensearch")) {
        return OPENSEARCH;
      }
      if (repository.equals("camunda/optimize")) {
        return OPTIMIZE;
      }
      if (repository.endsWith("andrewgaul/s3proxy")) {
        return S3PROXY;
      }
      return OTHER;
    }
  }

  /** A port a container listens on, by what it serves. */
  enum Listener {
    CAMUNDA_REST(Kind.CAMUNDA, "SERVER_PORT", 8080),
    CAMUNDA_GRPC(Kind.CAMUNDA, "ZEEBE_BROKER_GATEWAY_NETWORK_PORT", 26500),
    CAMUNDA_MANAGEMENT(Kind.CAMUNDA, "MANAGEMENT_SERVER_PORT", 9600),
    OPTIMIZE_MANAGEMENT(Kind.OPTIMIZE, "MANAGEMENT_SERVER_PORT", 8092),
    SEARCH(Kind.ELASTICSEARCH, "http.port", 9200),
    S3(Kind.S3PROXY, "S3PROXY_ENDPOINT", 80);

    final Kind kind;
    final String overriddenBy;
    final int defaultPort;

    Listener(Kind kind, String overriddenBy, int defaultPort) {
      this.kind = kind;
      this.overriddenBy = overriddenBy;
      this.defaultPort = defaultPort;
    }
  }

  private static final Pattern SNAPSHOT_REPOSITORY_PUT =
      Pattern.compile("(https?://[^\\s'\"]+)/_snapshot/([A-Za-z0-9_.-]+)");
  private static final Pattern FS_LOCATION = Pattern.compile("\"location\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern CREATE_BUCKET =
      Pattern.compile("--endpoint-url\\s+(\\S+)\\s+s3api\\s+create-bucket\\s+--bucket\\s+([a-z0-9.-]+)");
  private static final List<String> APPLICATION_PREFIXES =
      List.of("ORCHESTRATOR_", "CAMUNDA_CLIENT_", "SPRING_", "SERVER_", "LOGGING_", "MANAGEMENT_", "JAVA_");

  private static final ValidatorFactory VALIDATION = Validation.buildDefaultValidatorFactory();

  private final ComposeFile compose;
  private final int applicationServerPort;
  private final JibImage image;
  private final List<String> problems = new ArrayList<>();
  private final List<String> backedUpOptimizes = new ArrayList<>();

  private ComposeAgreement(ComposeFile compose, int applicationServerPort, JibImage image) {
    this.compose = compose;
    this.applicationServerPort = applicationServerPort;
    this.image = image;
  }

  /**
   * @param applicationServerPort {@code server.port} from application.yaml
   * @param image the orchestrator's image as pom.xml builds it
   * @return every disagreement found, empty when the file agrees with the application
   */
  static List<String> problems(ComposeFile compose, int applicationServerPort, JibImage image) {
    ComposeAgreement agreement = new ComposeAgreement(compose, applicationServerPort, image);
    agreement.check();
    return List.copyOf(agreement.problems);
  }

  private void check() {
    for (String text : compose.allStrings()) {
      try {
        ComposeFile.interpolate(text);
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
        return; // everything below reads interpolated values
      }
    }
    checkHostPortsAreUnique();
    compose.serviceNames().stream().filter(compose::isBuilt).forEach(service -> problems.add(service
        + " is built from a Dockerfile, but the orchestrator's image is built by Jib (./mvnw compile jib:dockerBuild)"));
    List<String> orchestrators =
        compose.serviceNames().stream().filter(service -> image.image().equals(compose.image(service))).toList();
    if (orchestrators.size() != 1) {
      problems.add("expected exactly one service running " + image.image() + ", the image pom.xml builds, found "
          + orchestrators);
      return;
    }
    String orchestrator = orchestrators.get(0);
    Map<String, String> environment = compose.environment(orchestrator);
    checkOnlyApplicationVariables(orchestrator, environment);
    checkServerPortIsPublished(orchestrator, environment);

    OrchestratorProperties properties = bind(environment, "orchestrator", OrchestratorProperties.class);
    CamundaClientProperties client = bind(environment, "camunda.client", CamundaClientProperties.class);
    List<String> targets = new ArrayList<>();
    List<String> targetSearches = new ArrayList<>();
    if (properties != null) {
      validate(properties);
      if (properties.clusters() != null) {
        properties.clusters().forEach((name, cluster) -> checkCluster(name, cluster, targets, targetSearches));
      }
      checkEveryOptimizeIsBackedUp();
    }
    if (client != null) {
      checkControlEngine(client, targets, targetSearches);
    }
  }

  // ---------------------------------------------------------------- binding

  /**
   * Binds the environment the way Spring Boot does at startup: relaxed names from the system
   * environment, and (like {@code ignoreUnknownFields = false}) a variable that reaches no property
   * is an error rather than silently ignored.
   */
  private <T> T bind(Map<String, String> environment, String prefix, Class<T> type) {
    Map<String, Object> source = new HashMap<>(environment);
    // The name makes Spring apply the environment-variable mapping (ORCHESTRATOR_X_Y -> orchestrator.x.y).
    var propertySource =
        new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, source);
    ApplicationConversionService conversion = new ApplicationConversionService();
    conversion.addConverter(String.class, CamundaVersion.class, CamundaVersion::parse);
    Binder binder = new Binder(ConfigurationPropertySources.from(propertySource), null, conversion);
    try {
      return binder.bind(prefix, Bindable.of(type), new NoUnboundElementsBindHandler(BindHandler.DEFAULT))
          .orElseGet(() -> {
            problems.add("no environment variable configures '" + prefix + "'");
            return null;
          });
    } catch (BindException e) {
      problems.add("'" + prefix + "' does not bind: " + rootMessage(e));
      return null;
    }
  }

  private void validate(OrchestratorProperties properties) {
    Validator validator = VALIDATION.getValidator();
    for (ConstraintViolation<OrchestratorProperties> violation : validator.validate(properties)) {
      problems.add("orchestrator." + violation.getPropertyPath() + " " + violation.getMessage());
    }
  }

  private void checkOnlyApplicationVariables(String orchestrator, Map<String, String> environment) {
    environment.keySet().stream()
        .filter(key -> APPLICATION_PREFIXES.stream().noneMatch(key::startsWith))
        .forEach(key -> problems.add(orchestrator + ": " + key + " is not a variable the application reads"));
  }

  // ---------------------------------------------------------------- target clusters

  private void checkCluster(String name, TargetCluster cluster, List<String> targets, List<String> targetSearches) {
    String what = "orchestrator.clusters." + name;
    String target = reach(what + ".zeebe.url", cluster.zeebe() == null ? null : cluster.zeebe().url(),
        Listener.CAMUNDA_MANAGEMENT);
    if (target == null) {
      return;
    }
    targets.add(target);
    Map<String, String> targetEnvironment = compose.environment(target);
    checkVersion(what, cluster, target);
    reachSameService(what + ".zeebe-rest", cluster.zeebeRest(), Listener.CAMUNDA_REST, target);
    checkManagement(what + ".operate", cluster.operate(), Listener.CAMUNDA_MANAGEMENT);
    checkManagement(what + ".tasklist", cluster.tasklist(), Listener.CAMUNDA_MANAGEMENT);
    String optimize = cluster.optimize() == null ? null
        : reach(what + ".optimize.url", cluster.optimize().url(), Listener.OPTIMIZE_MANAGEMENT);
    if (optimize != null) {
      backedUpOptimizes.add(optimize);
    }
    if (cluster.webapps() != null) {
      // from 8.8 the web applications are part of the orchestration cluster
      reachSameService(what + ".webapps.url", cluster.webapps().url(), Listener.CAMUNDA_MANAGEMENT, target);
    }

    SearchEndpoint search = cluster.search();
    if (search == null) {
      problems.add(what + ".search is not configured, so no snapshot can be taken");
      return;
    }
    String searchService = reach(what + ".search.url", search.url(), Listener.SEARCH);
    if (searchService == null) {
      return;
    }
    targetSearches.add(searchService);
    if (search.type() != null && !search.type().name().equals(Kind.of(compose.image(searchService)).name())) {
      problems.add(what + ".search.type is " + search.type() + " but " + searchService + " runs "
          + compose.image(searchService));
    }
    String secondaryStorage = targetEnvironment.get("CAMUNDA_DATA_SECONDARYSTORAGE_ELASTICSEARCH_URL");
    if (secondaryStorage == null || !sameEndpoint(URI.create(secondaryStorage), search.url())) {
      problems.add(what + ".search.url is " + search.url() + " but " + target
          + " keeps its data in " + secondaryStorage);
    }
    checkSnapshotRepository(what, search, target, targetEnvironment, searchService);
    checkRecordsExporter(what, search, target, targetEnvironment);
    checkZeebeBackupStore(target, targetEnvironment);
    if (optimize != null) {
      checkOptimize(what, cluster, optimize, searchService);
    }
  }

  /** A restore needs every component at the backup's exact version, and the API flavour follows the minor. */
  private void checkVersion(String what, TargetCluster cluster, String target) {
    if (cluster.version() == null) {
      return;
    }
    String image = compose.image(target);
    String tag = image == null ? "" : image.substring(image.lastIndexOf(':') + 1);
    CamundaVersion running;
    try {
      running = CamundaVersion.parse(tag);
    } catch (IllegalArgumentException e) {
      problems.add(what + ".version is " + cluster.version() + " but " + target + " runs " + image);
      return;
    }
    if (running != cluster.version()) {
      problems.add(what + ".version is " + cluster.version() + " but " + target + " runs " + image);
    }
  }

  /**
   * Optimize's backup is two snapshots of its indices, taken by Optimize itself into the repository
   * it is configured with (reference section 4): both must be the ones the cluster's backup covers.
   */
  private void checkOptimize(String what, TargetCluster cluster, String optimize, String searchService) {
    Map<String, String> env = compose.environment(optimize);
    SearchEndpoint search = cluster.search();
    String host = env.get("OPTIMIZE_ELASTICSEARCH_HOST");
    int port = Integer.parseInt(env.getOrDefault("OPTIMIZE_ELASTICSEARCH_HTTP_PORT", "9200"));
    if (!searchService.equals(host) || port != port(search.url())) {
      problems.add(optimize + " keeps its data in " + host + ":" + port + " (OPTIMIZE_ELASTICSEARCH_HOST, _HTTP_PORT), not in "
          + search.url() + " where " + what + " is backed up");
    }
    String repository = env.get("CAMUNDA_OPTIMIZE_BACKUP_REPOSITORY_NAME");
    if (!Objects.equals(repository, search.snapshotRepository())) {
      problems.add(optimize + " backs up into '" + repository + "' (CAMUNDA_OPTIMIZE_BACKUP_REPOSITORY_NAME) but "
          + what + ".search.snapshot-repository is '" + search.snapshotRepository() + "'");
    }
    checkVersion(what, cluster, optimize);
  }

  /** A backup without the Optimize that runs beside the cluster would restore the rest and leave Optimize behind. */
  private void checkEveryOptimizeIsBackedUp() {
    compose.serviceNames().stream()
        .filter(service -> Kind.of(compose.image(service)) == Kind.OPTIMIZE && !backedUpOptimizes.contains(service))
        .forEach(service -> problems.add(service + " runs Optimize, but no orchestrator.clusters.<name>.optimize.url"
            + " backs it up"));
  }

  private void checkManagement(String what, ManagementEndpoint endpoint, Listener listener) {
    if (endpoint != null) {
      reach(what + ".url", endpoint.url(), listener);
    }
  }

  private void checkSnapshotRepository(
      String what, SearchEndpoint search, String target, Map<String, String> targetEnvironment, String searchService) {
    String repository = search.snapshotRepository();
    String webappsRepository = targetEnvironment.get("CAMUNDA_DATA_BACKUP_REPOSITORYNAME");
    if (!Objects.equals(repository, webappsRepository)) {
      problems.add(what + ".search.snapshot-repository is '" + repository + "' but " + target
          + " backs its web applications up into '" + webappsRepository + "' (CAMUNDA_DATA_BACKUP_REPOSITORYNAME)");
    }
    Optional<Matcher> registration = findInCommands(SNAPSHOT_REPOSITORY_PUT,
        m -> sameEndpoint(URI.create(m.group(1)), search.url()) && m.group(2).equals(repository));
    if (registration.isEmpty()) {
      problems.add("no init step registers snapshot repository '" + repository + "' in " + search.url());
      return;
    }
    String pathRepo = compose.environment(searchService).get("path.repo");
    Matcher location = FS_LOCATION.matcher(commandContaining(registration.get().group()));
    if (pathRepo == null) {
      problems.add(searchService + " sets no path.repo, so an fs snapshot repository cannot be registered");
      return;
    }
    if (!location.find()) {
      problems.add("the registration of '" + repository + "' names no fs location");
    } else if (location.group(1).startsWith("/") && !(location.group(1) + "/").startsWith(pathRepo + "/")) {
      // a relative location is resolved under path.repo by Elasticsearch
      problems.add("the fs repository '" + repository + "' at " + location.group(1) + " is not under "
          + searchService + "'s path.repo " + pathRepo);
    }
    if (!compose.volumeMounts(searchService).containsKey(pathRepo)) {
      problems.add(searchService + "'s path.repo " + pathRepo + " is not a volume, so snapshots die with the container");
    }
  }

  private void checkRecordsExporter(String what, SearchEndpoint search, String target, Map<String, String> env) {
    boolean exporterRuns = env.containsKey("ZEEBE_BROKER_EXPORTERS_ELASTICSEARCH_CLASSNAME");
    if (exporterRuns != search.recordsExporter()) {
      problems.add(what + ".search.records-exporter is " + search.recordsExporter() + " but " + target
          + (exporterRuns ? " runs" : " does not run") + " the Elasticsearch exporter");
    }
    if (exporterRuns) {
      String url = env.get("ZEEBE_BROKER_EXPORTERS_ELASTICSEARCH_ARGS_URL");
      if (url == null || !sameEndpoint(URI.create(url), search.url())) {
        problems.add(target + " exports zeebe-record* to " + url + ", not to " + search.url());
      }
      String prefix = env.getOrDefault("ZEEBE_BROKER_EXPORTERS_ELASTICSEARCH_ARGS_INDEX_PREFIX", "zeebe-record");
      if (!prefix.equals(search.recordsIndexPrefix())) {
        problems.add(what + ".search.records-index-prefix is '" + search.recordsIndexPrefix() + "' but " + target
            + " exports with prefix '" + prefix + "'");
      }
    }
  }

  private void checkZeebeBackupStore(String target, Map<String, String> env) {
    String store = env.get("CAMUNDA_DATA_BACKUP_STORE");
    if (store == null || !store.equalsIgnoreCase("S3")) {
      problems.add(target + " has no S3 backup store (CAMUNDA_DATA_BACKUP_STORE is " + store + ")");
      return;
    }
    String bucket = env.get("CAMUNDA_DATA_BACKUP_S3_BUCKETNAME");
    String endpoint = env.get("CAMUNDA_DATA_BACKUP_S3_ENDPOINT");
    String s3 = endpoint == null ? null : reach(target + " CAMUNDA_DATA_BACKUP_S3_ENDPOINT", URI.create(endpoint),
        Listener.S3);
    if (s3 == null) {
      return;
    }
    if (!"true".equalsIgnoreCase(env.get("CAMUNDA_DATA_BACKUP_S3_FORCEPATHSTYLEACCESS"))) {
      problems.add(target + " must use path-style access against " + s3 + " (CAMUNDA_DATA_BACKUP_S3_FORCEPATHSTYLEACCESS)");
    }
    String identity = compose.environment(s3).get("S3PROXY_IDENTITY");
    String credential = compose.environment(s3).get("S3PROXY_CREDENTIAL");
    if (!Objects.equals(env.get("CAMUNDA_DATA_BACKUP_S3_ACCESSKEY"), identity)
        || !Objects.equals(env.get("CAMUNDA_DATA_BACKUP_S3_SECRETKEY"), credential)) {
      problems.add(target + "'s S3 access key and secret are not the ones " + s3 + " accepts");
    }
    Optional<Matcher> creation = findInCommands(CREATE_BUCKET,
        m -> sameEndpoint(URI.create(m.group(1)), URI.create(endpoint)) && m.group(2).equals(bucket));
    if (creation.isEmpty()) {
      problems.add("no init step creates bucket '" + bucket + "' in " + endpoint + ", and Zeebe needs it to exist");
      return;
    }
    String creator = serviceWithCommand(creation.get().group());
    Map<String, String> creatorEnvironment = compose.environment(creator);
    if (!Objects.equals(creatorEnvironment.get("AWS_ACCESS_KEY_ID"), identity)
        || !Objects.equals(creatorEnvironment.get("AWS_SECRET_ACCESS_KEY"), credential)) {
      problems.add(creator + " creates the bucket with credentials " + s3 + " does not accept");
    }
  }

  // ---------------------------------------------------------------- control engine

  private void checkControlEngine(CamundaClientProperties client, List<String> targets, List<String> targetSearches) {
    String grpc = reach("camunda.client.grpc-address", client.getGrpcAddress(), Listener.CAMUNDA_GRPC);
    if (grpc == null) {
      return;
    }
    reachSameService("camunda.client.rest-address", client.getRestAddress(), Listener.CAMUNDA_REST, grpc);
    if (targets.contains(grpc)) {
      problems.add("camunda.client points at " + grpc + ", a cluster being backed up, instead of a control engine");
      return;
    }
    String controlStorage = compose.environment(grpc).get("CAMUNDA_DATA_SECONDARYSTORAGE_ELASTICSEARCH_URL");
    if (controlStorage != null && targetSearches.contains(URI.create(controlStorage).getHost())) {
      problems.add("the control engine " + grpc + " shares its Elasticsearch with a target; its data would be"
          + " backed up and restored with it");
    }
  }

  // ---------------------------------------------------------------- ports

  private void checkServerPortIsPublished(String orchestrator, Map<String, String> environment) {
    int serverPort = environment.containsKey("SERVER_PORT")
        ? Integer.parseInt(environment.get("SERVER_PORT"))
        : applicationServerPort;
    boolean published = compose.ports(orchestrator).stream().anyMatch(port -> port.containerPort() == serverPort);
    if (!published) {
      problems.add(orchestrator + " listens on server.port " + serverPort + " but publishes "
          + compose.ports(orchestrator));
    }
    if (!image.ports().contains(serverPort)) {
      problems.add("the image exposes " + image.ports() + " (pom.xml) but " + orchestrator + " listens on server.port "
          + serverPort);
    }
  }

  private void checkHostPortsAreUnique() {
    Map<Integer, String> owners = new LinkedHashMap<>();
    for (String service : compose.serviceNames()) {
      for (ComposeFile.PublishedPort port : compose.ports(service)) {
        if (port.hostPort() == null) {
          continue;
        }
        String owner = owners.putIfAbsent(port.hostPort(), service);
        if (owner != null) {
          problems.add("host port " + port.hostPort() + " is published by both " + owner + " and " + service);
        }
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  /** The service a URL reaches, if its host is a service whose image listens there; else a problem and null. */
  private String reach(String what, URI url, Listener listener) {
    if (url == null) {
      problems.add(what + " is not set");
      return null;
    }
    String host = url.getHost();
    if (host == null || !compose.hasService(host)) {
      problems.add(what + " = " + url + " names no service of this file (host '" + host + "')");
      return null;
    }
    Kind kind = Kind.of(compose.image(host));
    if (kind != listener.kind && !(listener == Listener.SEARCH && kind == Kind.OPENSEARCH)) {
      problems.add(what + " = " + url + " expects " + listener.kind + " but " + host + " runs "
          + compose.image(host));
      return null;
    }
    int expected = listeningPort(host, listener);
    if (port(url) != expected) {
      problems.add(what + " = " + url + " uses port " + port(url) + " but " + host + " serves "
          + listener + " on " + expected);
      return null;
    }
    return host;
  }

  private void reachSameService(String what, URI url, Listener listener, String service) {
    if (url == null) {
      return;
    }
    String reached = reach(what, url, listener);
    if (reached != null && !reached.equals(service)) {
      problems.add(what + " = " + url + " reaches " + reached + ", not " + service);
    }
  }

  private int listeningPort(String service, Listener listener) {
    String override = compose.environment(service).get(listener.overriddenBy);
    if (override == null || override.isBlank()) {
      return listener.defaultPort;
    }
    return listener == Listener.S3 ? port(URI.create(override)) : Integer.parseInt(override);
  }

  private static int port(URI url) {
    if (url.getPort() >= 0) {
      return url.getPort();
    }
    return "https".equals(url.getScheme()) ? 443 : 80;
  }

  private static boolean sameEndpoint(URI a, URI b) {
    return Objects.equals(a.getHost(), b.getHost()) && port(a) == port(b);
  }

  private Optional<Matcher> findInCommands(Pattern pattern, Predicate<Matcher> accept) {
    for (String service : compose.serviceNames()) {
      Matcher matcher = pattern.matcher(compose.commandLine(service));
      while (matcher.find()) {
        if (accept.test(matcher)) {
          return Optional.of(matcher);
        }
      }
    }
    return Optional.empty();
  }

  private String serviceWithCommand(String fragment) {
    return compose.serviceNames().stream()
        .filter(service -> compose.commandLine(service).contains(fragment))
        .findFirst()
        .orElseThrow();
  }

  private String commandContaining(String fragment) {
    return compose.commandLine(serviceWithCommand(fragment));
  }

  private static String rootMessage(Throwable e) {
    List<String> messages = new ArrayList<>();
    for (Throwable t = e; t != null; t = t.getCause()) {
      messages.add(t.getMessage());
    }
    return String.join(" <- ", messages);
  }
}
