package io.github.c8backup.cluster.zeebe;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.c8backup.cluster.http.JsonHttp;
import io.github.c8backup.cluster.http.JsonHttp.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** {@link ZeebeGateway} over the gateway's REST API ({@code GET /v2/topology}, 8.6+). */
public final class HttpZeebeGateway implements ZeebeGateway {

  private final URI topology;
  private final JsonHttp http;

  /** @param restUrl the gateway REST address, e.g. {@code http://prod-zeebe-gateway:8080} */
  public HttpZeebeGateway(URI restUrl, JsonHttp http) {
    this.topology = URI.create(Objects.requireNonNull(restUrl, "restUrl").toString().replaceAll("/+$", "") + "/v2/topology");
    this.http = Objects.requireNonNull(http, "http");
  }

  @Override
  public Topology topology() {
    Response response = http.get(topology);
    if (!response.isSuccess()) {
      throw http.failure(response, "the zeebe-rest address (gateway REST port, usually 8080), and zeebe-rest-credentials where the cluster protects its REST API");
    }
    JsonNode node = http.json(response);
    if (!node.isObject() || !node.has("brokers")) {
      throw http.unreadable(response, "expected an object with 'brokers'");
    }
    List<Topology.Broker> brokers = new ArrayList<>();
    for (JsonNode broker : node.path("brokers")) {
      List<Topology.Partition> partitions = new ArrayList<>();
      for (JsonNode partition : broker.path("partitions")) {
        partitions.add(
            new Topology.Partition(
                partition.path("partitionId").asInt(), text(partition, "role"), text(partition, "health")));
      }
      brokers.add(
          new Topology.Broker(
              broker.path("nodeId").asInt(),
              text(broker, "host"),
              broker.path("port").asInt(),
              text(broker, "version"),
              List.copyOf(partitions)));
    }
    return new Topology(
        text(node, "gatewayVersion"),
        node.path("clusterSize").asInt(),
        node.path("partitionsCount").asInt(),
        node.path("replicationFactor").asInt(),
        List.copyOf(brokers));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
