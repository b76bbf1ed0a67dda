package io.github.c8backup.compose;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A docker-compose.yml as Docker Compose would read it on a machine with no {@code .env} file: every
 * {@code ${VAR:-default}} takes its default. Only the parts the agreement checks need are modelled;
 * the raw tree stays mutable so that tests can break a copy on purpose.
 */
final class ComposeFile {

  /** {@code $$} (a literal dollar) or {@code ${NAME}}, {@code ${NAME:-default}}, {@code ${NAME-default}}, {@code ${NAME:?error}}. */
  private static final Pattern INTERPOLATION =
      Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");

  private final Map<String, Object> root;

  private ComposeFile(Map<String, Object> root) {
    this.root = root;
  }

  static ComposeFile read(Path path) {
    try {
      return parse(Files.readString(path));
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read " + path.toAbsolutePath(), e);
    }
  }

  @SuppressWarnings("unchecked")
  static ComposeFile parse(String yaml) {
    Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    if (!(loaded instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("A compose file is a mapping at the top level");
    }
    return new ComposeFile((Map<String, Object>) map);
  }

  /** One published port: {@code "8081:8080"} publishes container port 8080 on host port 8081. */
  record PublishedPort(Integer hostPort, int containerPort) {}

  Set<String> serviceNames() {
    return services().keySet();
  }

  boolean hasService(String name) {
    return services().containsKey(name);
  }

  /** The service's raw mapping, mutable. */
  @SuppressWarnings("unchecked")
  Map<String, Object> service(String name) {
    Object service = services().get(name);
    if (!(service instanceof Map<?, ?>)) {
      throw new IllegalArgumentException("No service '" + name + "'");
    }
    return (Map<String, Object>) service;
  }

  /** The image with interpolation applied, or null for a service that is only built. */
  String image(String service) {
    Object image = service(service).get("image");
    return image == null ? null : interpolate(image.toString());
  }

  boolean isBuilt(String service) {
    return service(service).containsKey("build");
  }

  /** The environment with interpolation applied; list ({@code KEY=value}) and map forms. */
  Map<String, String> environment(String service) {
    Map<String, String> environment = new LinkedHashMap<>();
    Object raw = service(service).get("environment");
    if (raw instanceof Map<?, ?> map) {
      map.forEach((key, value) -> environment.put(key.toString(), value == null ? null : interpolate(value.toString())));
    } else if (raw instanceof List<?> list) {
      for (Object item : list) {
        String entry = item.toString();
        int equals = entry.indexOf('=');
        if (equals < 0) {
          environment.put(entry, null); // taken from the host's environment, unset here
        } else {
          environment.put(entry.substring(0, equals), interpolate(entry.substring(equals + 1)));
        }
      }
    }
    return environment;
  }

  /** Sets one environment variable in the raw tree (map form, or list form if the service uses it). */
  @SuppressWarnings("unchecked")
  void putEnvironment(String service, String key, String value) {
    Object raw = service(service).computeIfAbsent("environment", ignored -> new LinkedHashMap<String, Object>());
    if (raw instanceof Map<?, ?> map) {
      ((Map<String, Object>) map).put(key, value);
    } else {
      List<Object> list = (List<Object>) raw;
      list.removeIf(item -> item.toString().equals(key) || item.toString().startsWith(key + "="));
      list.add(key + "=" + value);
    }
  }

  /** Removes one environment variable from the raw tree (map form, or list form if the service uses it). */
  void removeEnvironment(String service, String key) {
    Object raw = service(service).get("environment");
    if (raw instanceof Map<?, ?> map) {
      map.remove(key);
    } else if (raw instanceof List<?> list) {
      list.removeIf(item -> item.toString().equals(key) || item.toString().startsWith(key + "="));
    }
  }

  /** Entrypoint and command joined with spaces, interpolated: what the container runs. */
  String commandLine(String service) {
    List<String> parts = new ArrayList<>();
    for (String key : List.of("entrypoint", "command")) {
      Object raw = service(service).get(key);
      if (raw instanceof List<?> list) {
        list.forEach(item -> parts.add(interpolate(item.toString())));
      } else if (raw != null) {
        parts.add(interpolate(raw.toString()));
      }
    }
    return String.join(" ", parts);
  }

  /** Volume mounts as target path to source (named volume or host path), short syntax. */
  Map<String, String> volumeMounts(String service) {
    Map<String, String> mounts = new LinkedHashMap<>();
    if (service(service).get("volumes") instanceof List<?> list) {
      for (Object item : list) {
        if (item instanceof Map<?, ?> longSyntax) {
          mounts.put(String.valueOf(longSyntax.get("target")), String.valueOf(longSyntax.get("source")));
        } else {
          String[] parts = interpolate(item.toString()).split(":");
          if (parts.length >= 2) {
            mounts.put(parts[1], parts[0]);
          }
        }
      }
    }
    return mounts;
  }

  List<PublishedPort> ports(String service) {
    List<PublishedPort> ports = new ArrayList<>();
    if (service(service).get("ports") instanceof List<?> list) {
      for (Object item : list) {
        ports.add(item instanceof Map<?, ?> longSyntax ? longPort(longSyntax) : shortPort(interpolate(item.toString())));
      }
    }
    return ports;
  }

  void setPorts(String service, List<String> ports) {
    service(service).put("ports", new ArrayList<Object>(ports));
  }

  /** Every string in the file, for checks that must hold everywhere (such as interpolation). */
  List<String> allStrings() {
    List<String> strings = new ArrayList<>();
    collectStrings(root, strings);
    return strings;
  }

  /**
   * Applies interpolation as Compose does when the variable is unset.
   *
   * @throws IllegalArgumentException for {@code ${NAME}} without a default, or {@code ${NAME:?...}}
   */
  static String interpolate(String text) {
    Matcher matcher = INTERPOLATION.matcher(text);
    StringBuilder resolved = new StringBuilder();
    while (matcher.find()) {
      String replacement;
      if (matcher.group().equals("$$")) {
        replacement = "$";
      } else if (matcher.group(2) == null || matcher.group(2).endsWith("?")) {
        throw new IllegalArgumentException("'" + matcher.group() + "' has no default, so the file does not work"
            + " without an .env file");
      } else {
        replacement = matcher.group(3);
      }
      matcher.appendReplacement(resolved, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(resolved);
    return resolved.toString();
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> services() {
    Object services = root.get("services");
    return services instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
  }

  private static PublishedPort shortPort(String spec) {
    String withoutProtocol = spec.replaceFirst("/(tcp|udp)$", "");
    String[] parts = withoutProtocol.split(":");
    int container = Integer.parseInt(parts[parts.length - 1]);
    Integer host = parts.length >= 2 ? Integer.valueOf(parts[parts.length - 2]) : null;
    return new PublishedPort(host, container);
  }

  private static PublishedPort longPort(Map<?, ?> spec) {
    Object published = spec.get("published");
    return new PublishedPort(
        published == null ? null : Integer.valueOf(interpolate(published.toString())),
        Integer.parseInt(Objects.toString(spec.get("target"))));
  }

  private static void collectStrings(Object node, List<String> strings) {
    if (node instanceof Map<?, ?> map) {
      map.forEach((key, value) -> {
        collectStrings(key, strings);
        collectStrings(value, strings);
      });
    } else if (node instanceof List<?> list) {
      list.forEach(item -> collectStrings(item, strings));
    } else if (node instanceof String string) {
      strings.add(string);
    }
  }
}
