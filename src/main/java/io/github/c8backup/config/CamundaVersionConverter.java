package io.github.c8backup.config;

import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.core.convert.converter.Converter;
import org.springframework.stereotype.Component;

/** Lets configuration say {@code version: "8.8"} (or "8.8.3"), as operators write versions. */
@Component
@ConfigurationPropertiesBinding
class CamundaVersionConverter implements Converter<String, CamundaVersion> {

  @Override
  public CamundaVersion convert(String source) {
    return CamundaVersion.parse(source);
  }
}
