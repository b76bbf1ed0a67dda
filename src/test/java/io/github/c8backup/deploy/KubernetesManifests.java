package io.github.c8backup.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * deploy/kubernetes as {@code kubectl apply -k} reads it: the kustomization, the resources it
 * lists, the files its configMapGenerator turns into the orchestrator's ConfigMap, and the example
 * Secret next to them. Everything stays a mutable YAML tree, so tests can break a copy on purpose.
 */
final class KubernetesManifests {

  private final Map<String, Object> kustomization;
  private final Map<String, Boolean> files;
  private final List<Map<String, Object>> resources;
  private final Map<String, Object> configuration;
  private final Map<String, Object> secretExample;

  private KubernetesManifests(
      Map<String, Object> kustomization,
      Map<String, Boolean> files,
      List<Map<String, Object>> resources,
      Map<String, Object> configuration,
      Map<String, Object> secretExample) {
    this.kustomization = kustomization;
    this.files = files;
    this.resources = resources;
    this.configuration = configuration;
    this.secretExample = secretExample;
  }

  static KubernetesManifests read(Path directory) {
    Map<String, Object> kustomization = map(load(directory.resolve("kustomization.yaml")).get(0));
    Map<String, Boolean> files = new LinkedHashMap<>();
    List<Map<String, Object>> resources = new ArrayList<>();
    for (String file : strings(kustomization.get("resources"))) {
      Path path = directory.resolve(file);
      files.put(file, Files.isRegularFile(path));
      if (Files.isRegularFile(path)) {
        load(path).forEach(document -> resources.add(map(document)));
      }
    }
    Map<String, Object> configuration = new LinkedHashMap<>();
    for (String file : configMapFiles(kustomization)) {
      Path path = directory.resolve(file);
      files.put(file, Files.isRegularFile(path));
      if (Files.isRegularFile(path) && file.equals("application.yaml")) {
        configuration = map(load(path).get(0));
      }
    }
    Map<String, Object> secretExample = map(load(directory.resolve("secret.example.yaml")).get(0));
    return new KubernetesManifests(kustomization, files, resources, configuration, secretExample);
  }

  Map<String, Object> kustomization() {
    return kustomization;
  }

  /** Each file the kustomization names (resources and generator files) and whether it exists. */
  Map<String, Boolean> files() {
    return files;
  }

  List<Map<String, Object>> resources() {
    return resources;
  }

  /** The only resource of this kind, if there is one. */
  Optional<Map<String, Object>> resource(String kind) {
    List<Map<String, Object>> found = resources.stream().filter(r -> kind.equals(r.get("kind"))).toList();
    return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
  }

  Map<String, Object> deployment() {
    return resource("Deployment").orElseThrow(() -> new IllegalStateException("no single Deployment"));
  }

  Map<String, Object> podSpec() {
    return map(map(map(deployment().get("spec")).get("template")).get("spec"));
  }

  /** The orchestrator's container, the first of the pod. */
  Map<String, Object> container() {
    return map(list(podSpec().get("containers")).get(0));
  }

  /** application.yaml of the generated ConfigMap, as a YAML tree. */
  Map<String, Object> configuration() {
    return configuration;
  }

  /** The name of the generated ConfigMap holding application.yaml, null if none does. */
  String configMapName() {
    for (Object generator : list(kustomization.get("configMapGenerator"))) {
      if (strings(map(generator).get("files")).contains("application.yaml")) {
        return String.valueOf(map(generator).get("name"));
      }
    }
    return null;
  }

  Map<String, Object> secretExample() {
    return secretExample;
  }

  /** The example Secret's keys and values ({@code stringData}). */
  Map<String, String> secretExampleValues() {
    Map<String, String> values = new LinkedHashMap<>();
    map(secretExample.get("stringData")).forEach((key, value) -> values.put(key, String.valueOf(value)));
    return values;
  }

  private static List<String> configMapFiles(Map<String, Object> kustomization) {
    List<String> files = new ArrayList<>();
    for (Object generator : list(kustomization.get("configMapGenerator"))) {
      files.addAll(strings(map(generator).get("files")));
    }
    return files;
  }

  private static List<Object> load(Path path) {
    try {
      List<Object> documents = new ArrayList<>();
      new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(Files.readString(path)).forEach(documents::add);
      return documents;
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read " + path.toAbsolutePath(), e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> map ? (Map<String, Object>) map : new LinkedHashMap<>();
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object value) {
    return value instanceof List<?> list ? (List<Object>) list : new ArrayList<>();
  }

  static List<String> strings(Object value) {
    return list(value).stream().map(String::valueOf).toList();
  }
}
