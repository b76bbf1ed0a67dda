package io.github.c8backup.containers;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class that needs a Docker engine: tagged {@value #TAG} (so {@code -Dgroups=docker} runs
 * only these and {@code -DexcludedGroups=docker} leaves them out) and skipped, with the reason in
 * the report, where no engine answers. See {@link DockerAvailable}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(DockerTest.TAG)
@ExtendWith(DockerAvailable.class)
public @interface DockerTest {

  String TAG = "docker";
}
