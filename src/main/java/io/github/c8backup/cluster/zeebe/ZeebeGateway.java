package io.github.c8backup.cluster.zeebe;

/** The Zeebe gateway's REST API, used only for the cluster topology ({@code GET /v2/topology}, 8.6+). */
public interface ZeebeGateway {

  Topology topology();
}
