package io.github.c8backup.image;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * The container image as pom.xml tells Jib to build it: what the image runs ({@code java <jvmFlags>
 * -cp @/app/jib-classpath-file <mainClass>}, the entrypoint Jib writes for Java 9+), with which
 * environment, as which user, on which ports. Read from the XML rather than repeated in tests, so
 * that a change to the pom is a change to what the tests check.
 *
 * @param image the name and tag pushed, {@code ${project.version}} resolved
 */
public record JibImage(String image, String mainClass, List<String> jvmFlags,
    Map<String, String> environment, List<Integer> ports, String user) {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");

  public static JibImage read(Path pom) {
    Element project;
    try {
      var factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      Document document = factory.newDocumentBuilder().parse(pom.toFile());
      project = document.getDocumentElement();
    } catch (ParserConfigurationException | SAXException | IOException e) {
      throw new IllegalStateException("Cannot read " + pom.toAbsolutePath(), e);
    }
    Map<String, String> properties = Map.of(
        "project.version", text(child(project, "version")),
        "project.name", text(child(project, "name")));
    Element configuration = child(jibPlugin(project), "configuration");
    Element container = child(configuration, "container");

    List<String> jvmFlags = children(child(container, "jvmFlags")).stream().map(flag -> resolve(text(flag), properties)).toList();
    Map<String, String> environment = new LinkedHashMap<>();
    children(child(container, "environment")).forEach(variable -> environment.put(variable.getTagName(), resolve(text(variable), properties)));
    List<Integer> ports = children(child(container, "ports")).stream().map(port -> Integer.valueOf(text(port))).toList();
    return new JibImage(
        resolve(text(child(child(configuration, "to"), "image")), properties),
        text(child(container, "mainClass")),
        jvmFlags,
        environment,
        ports,
        text(child(container, "user")));
  }

  private static Element jibPlugin(Element project) {
    for (Element plugin : children(child(child(project, "build"), "plugins"))) {
      if ("jib-maven-plugin".equals(text(child(plugin, "artifactId")))) {
        return plugin;
      }
    }
    throw new IllegalStateException("pom.xml has no jib-maven-plugin under build/plugins");
  }

  /** Maven resolves these at build time; an unknown one would reach the image unresolved, so it fails here. */
  private static String resolve(String value, Map<String, String> properties) {
    Matcher matcher = PLACEHOLDER.matcher(value);
    StringBuilder resolved = new StringBuilder();
    while (matcher.find()) {
      String replacement = properties.get(matcher.group(1));
      if (replacement == null) {
        throw new IllegalStateException("JibImage cannot resolve " + matcher.group() + " in '" + value + "'; add it to JibImage.read");
      }
      matcher.appendReplacement(resolved, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(resolved);
    return resolved.toString();
  }

  private static Element child(Element parent, String name) {
    for (Element element : children(parent)) {
      if (element.getTagName().equals(name)) {
        return element;
      }
    }
    throw new IllegalStateException("pom.xml: <" + parent.getTagName() + "> has no <" + name + ">");
  }

  private static List<Element> children(Element parent) {
    List<Element> elements = new ArrayList<>();
    for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element element) {
        elements.add(element);
      }
    }
    return elements;
  }

  private static String text(Element element) {
    return element.getTextContent().trim();
  }
}
