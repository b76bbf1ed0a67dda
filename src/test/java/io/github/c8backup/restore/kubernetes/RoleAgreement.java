package io.github.c8backup.restore.kubernetes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares a Role with the requests the restore runtime sent to the API server: every request
 * needs a rule, every rule a request. A request is mapped to RBAC's attributes the way the API
 * server's request info resolver does: GET on an object is {@code get}, on a collection
 * {@code list} ({@code watch} with {@code ?watch=true}); POST {@code create}; PUT {@code update};
 * PATCH {@code patch}; DELETE on an object {@code delete}, on a collection
 * {@code deletecollection}; a subresource is {@code resource/subresource} ({@code pods/log}).
 * Returns problems rather than throwing, so a test can break the Role and see exactly that problem.
 */
final class RoleAgreement {

  /** One verb on one resource of one API group ("" is the core group). */
  record Permission(String apiGroup, String resource, String verb) implements Comparable<Permission> {

    @Override
    public int compareTo(Permission other) {
      return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
      return verb + " " + (apiGroup.isEmpty() ? "" : apiGroup + "/") + resource;
    }
  }

  /** A request as the mock server recorded it: method and path with query. */
  record Request(String method, String path) {

    /** The namespace the request is about, null for a cluster-scoped or non-resource request. */
    String namespace() {
      List<String> rest = resourceSegments();
      return rest != null && rest.size() >= 3 && rest.get(0).equals("namespaces") ? rest.get(1) : null;
    }

    /** Null for a non-resource URL ({@code /version}, {@code /apis}), which no Role can grant. */
    Permission permission() {
      List<String> rest = resourceSegments();
      if (rest == null || rest.isEmpty()) {
        return null;
      }
      if (rest.get(0).equals("namespaces") && rest.size() >= 3) {
        rest = rest.subList(2, rest.size());
      }
      String resource = rest.get(0);
      boolean item = rest.size() >= 2;
      if (rest.size() >= 3) {
        resource = resource + "/" + rest.get(2);
      }
      return new Permission(apiGroup(), resource, verb(item));
    }

    private String verb(boolean item) {
      return switch (method) {
        case "GET", "HEAD" -> item ? "get" : query().contains("watch=true") ? "watch" : "list";
        case "POST" -> "create";
        case "PUT" -> "update";
        case "PATCH" -> "patch";
        case "DELETE" -> item ? "delete" : "deletecollection";
        default -> throw new IllegalArgumentException("No RBAC verb for HTTP method " + method + " " + path);
      };
    }

    private String apiGroup() {
      List<String> segments = segments();
      return segments.get(0).equals("api") ? "" : segments.get(1);
    }

    /** The segments after /api/v1 or /apis/group/version, null for any other path. */
    private List<String> resourceSegments() {
      List<String> segments = segments();
      if (segments.size() >= 2 && segments.get(0).equals("api")) {
        return segments.subList(2, segments.size());
      }
      if (segments.size() >= 3 && segments.get(0).equals("apis")) {
        return segments.subList(3, segments.size());
      }
      return null;
    }

    private List<String> segments() {
      String withoutQuery = path.replaceFirst("\\?.*$", "");
      return Arrays.stream(withoutQuery.split("/")).filter(s -> !s.isEmpty()).toList();
    }

    private String query() {
      int at = path.indexOf('?');
      return at < 0 ? "" : path.substring(at + 1);
    }

    @Override
    public String toString() {
      return method + " " + path.replaceFirst("\\?.*$", "");
    }
  }

  private static final Permission GET_POD_LOG = new Permission("", "pods/log", "get");

  /**
   * What fabric8's {@code getLog} sends only sometimes: it first waits for the pod with an informer
   * ({@code PodOperationUtil.waitUntilReadyOrTerminal}: list, then watch), and as the runtime sets
   * no wait the informer is cancelled at once, so whether its watch goes out depends on timing.
   */
  private static final List<Permission> SOMETIMES_SENT_WITH_POD_LOG =
      List.of(new Permission("", "pods", "list"), new Permission("", "pods", "watch"));

  private RoleAgreement() {}

  /**
   * @param role the Role as parsed from YAML
   * @param requests what the runtime sent
   * @param namespace the namespace of the Camunda release, the only one the runtime may touch
   * @return every disagreement, empty when the Role grants exactly what the requests need
   */
  static List<String> problems(Map<String, Object> role, List<Request> requests, String namespace) {
    List<String> problems = new ArrayList<>();
    if (!"Role".equals(role.get("kind"))) {
      problems.add("expected a namespaced Role, found " + role.get("kind"));
    }
    Set<Permission> granted = granted(role, problems);
    Map<Permission, Request> used = new LinkedHashMap<>();
    for (Request request : requests) {
      Permission permission = request.permission();
      if (permission == null) {
        problems.add("the runtime sent " + request + ", a non-resource request no Role can grant");
      } else if (!namespace.equals(request.namespace())) {
        problems.add("the runtime sent " + request + " outside namespace " + namespace
            + ", which a Role in that namespace does not grant");
      } else {
        used.putIfAbsent(permission, request);
      }
    }
    if (used.containsKey(GET_POD_LOG)) {
      String namespacePods = "/api/v1/namespaces/" + namespace + "/pods?watch=true";
      SOMETIMES_SENT_WITH_POD_LOG.forEach(p -> used.putIfAbsent(p, new Request("GET", namespacePods)));
    }
    for (Permission permission : new TreeSet<>(used.keySet())) {
      if (!granted.contains(permission)) {
        problems.add("the runtime needs " + permission + " (e.g. " + used.get(permission) + ") but the Role does not grant it");
      }
    }
    for (Permission permission : granted) {
      if (!used.containsKey(permission)) {
        problems.add("the Role grants " + permission + " but the runtime never uses it");
      }
    }
    return problems;
  }

  /** Every permission the Role's rules grant, sorted; wildcards and non-resource rules are problems. */
  static Set<Permission> granted(Map<String, Object> role, List<String> problems) {
    Set<Permission> granted = new TreeSet<>();
    for (Map<?, ?> rule : list(role.get("rules"), Map.class)) {
      if (rule.containsKey("nonResourceURLs")) {
        problems.add("rule " + rule + " grants non-resource URLs, which the runtime never requests");
      }
      if (rule.containsKey("resourceNames")) {
        problems.add("rule " + rule + " names resources; this check compares whole resources only");
      }
      List<String> groups = list(rule.get("apiGroups"), String.class);
      List<String> resources = list(rule.get("resources"), String.class);
      List<String> verbs = list(rule.get("verbs"), String.class);
      if (groups.contains("*") || resources.contains("*") || verbs.contains("*")) {
        problems.add("rule " + rule + " uses a wildcard; name each group, resource and verb");
        continue;
      }
      for (String group : groups) {
        for (String resource : resources) {
          for (String verb : verbs) {
            granted.add(new Permission(group, resource, verb));
          }
        }
      }
    }
    return granted;
  }

  private static <T> List<T> list(Object value, Class<T> type) {
    if (!(value instanceof List<?> items)) {
      return List.of();
    }
    return items.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
