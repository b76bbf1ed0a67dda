package io.github.c8backup.restore.kubernetes;

import java.util.List;

/**
 * A broker's old data claim is deleted but not gone yet (its {@code pvc-protection} finalizer waits
 * for the last pod to let go). Transient: call {@code startBrokerRestore} again after a backoff; it
 * picks up where it stopped.
 */
public class DataVolumeStillTerminatingException extends RuntimeException {

  public DataVolumeStillTerminatingException(String namespace, List<String> claims) {
    super("PersistentVolumeClaims " + claims + " in namespace " + namespace
        + " are still terminating; their restore Jobs start once they are gone");
  }
}
