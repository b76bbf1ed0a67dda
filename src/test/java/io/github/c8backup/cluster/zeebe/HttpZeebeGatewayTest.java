package io.github.c8backup.cluster.zeebe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.c8backup.cluster.ComponentUnavailableException;
import io.github.c8backup.cluster.RecordingHttpServer;
import io.github.c8backup.cluster.http.JsonHttp;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpZeebeGatewayTest {

  // GET /v2/topology of an 8.8 gateway; clusterId and lastCompletedChangeId are not in the record
  static final String TOPOLOGY_88 =
      """
      {"brokers":[
        {"nodeId":0,"host":"prod-zeebe-0.prod-zeebe","port":26501,"version":"8.8.3",
         "partitions":[{"partitionId":1,"role":"leader","health":"healthy"},{"partitionId":2,"role":"follower","health":"unhealthy"}]},
        {"nodeId":1,"host":"prod-zeebe-1.prod-zeebe","port":26501,"version":"8.8.3",
         "partitions":[{"partitionId":1,"role":"follower","health":"healthy"},{"partitionId":2,"role":"leader","health":"healthy"}]}],
       "clusterId":"6a3b0e0e-0000-4000-8000-000000000000","clusterSize":2,"partitionsCount":2,"replicationFactor":2,
       "gatewayVersion":"8.8.3","lastCompletedChangeId":"-1"}
      """;

  private final RecordingHttpServer server = RecordingHttpServer.start();

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpZeebeGateway gateway(URI rest) {
    return new HttpZeebeGateway(rest, JsonHttp.create("zeebe-gateway", Duration.ofSeconds(1), Duration.ofSeconds(2), null));
  }

  @Test
  void topologyIsReadFromV2Topology() {
    // given
    server.respond("GET", "/v2/topology", 200, TOPOLOGY_88);

    // when
    Topology topology = gateway(URI.create(server.url() + "/")).topology();

    // then
    assertThat(server.lastRequest().path()).isEqualTo("/v2/topology");
    assertThat(topology.gatewayVersion()).isEqualTo("8.8.3");
    assertThat(topology.clusterSize()).isEqualTo(2);
    assertThat(topology.partitionsCount()).isEqualTo(2);
    assertThat(topology.replicationFactor()).isEqualTo(2);
    assertThat(topology.brokers()).hasSize(2);
    Topology.Broker first = topology.brokers().get(0);
    assertThat(first.nodeId()).isZero();
    assertThat(first.host()).isEqualTo("prod-zeebe-0.prod-zeebe");
    assertThat(first.port()).isEqualTo(26501);
    assertThat(first.version()).isEqualTo("8.8.3");
    assertThat(first.partitions()).containsExactly(
        new Topology.Partition(1, "leader", "healthy"), new Topology.Partition(2, "follower", "unhealthy"));
  }

  @Test
  void gateway503IsComponentUnavailable() {
    // given
    server.respond("GET", "/v2/topology", 503, "{\"type\":\"about:blank\",\"title\":\"UNAVAILABLE\",\"status\":503}");

    // when
    ComponentUnavailableException e = catchThrowableOfType(ComponentUnavailableException.class, () -> gateway(server.url()).topology());

    // then
    assertThat(e.component()).isEqualTo("zeebe-gateway");
    assertThat(e.httpStatus()).isEqualTo(503);
    assertThat(e.getMessage()).contains("GET " + server.url() + "/v2/topology");
  }
}
