package io.github.c8backup.cluster;

import io.github.c8backup.config.CamundaVersion;

/**
 * The API flavour of a cluster and how we learnt it.
 *
 * @param exactVersion e.g. "8.8.3" when the cluster told us, else null
 * @param source "configuration", "gateway topology" or "management API probe"
 */
public record DetectedVersion(CamundaVersion flavour, String exactVersion, String source) {}
