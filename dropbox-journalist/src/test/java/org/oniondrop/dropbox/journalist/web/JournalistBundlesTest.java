package org.oniondrop.dropbox.journalist.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.qute.i18n.Message;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.oniondrop.dropbox.core.i18n.Language;

/**
 * The journalist interface offers a language exactly when its {@code jmsg_xx.properties} exists,
 * and such a file must be complete: every key of {@link JMsg}, nothing else, no empty text, the
 * same {@code {parameters}} as the English (docs/translations.md).
 */
class JournalistBundlesTest {

  private static final Pattern PARAM = Pattern.compile("\\{(\\w+)\\}");

  private static Set<String> params(String text) {
    Set<String> found = new TreeSet<>();
    Matcher m = PARAM.matcher(text);
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }

  private static Stream<Method> messages() {
    return Stream.of(JMsg.class.getDeclaredMethods())
        .filter(m -> m.isAnnotationPresent(Message.class));
  }

  @ParameterizedTest
  @EnumSource(Language.class)
  void anOfferedLanguageHasACompleteBundle(Language language) throws IOException {
    String name = "/messages/jmsg_" + language.code() + ".properties";
    try (InputStream in = JMsg.class.getResourceAsStream(name)) {
      assertThat(JournalistLanguages.offered().contains(language))
          .as("%s offered", language.code())
          .isEqualTo(language == Language.EN || in != null);
      if (in == null) {
        return;
      }
      Properties p = new Properties();
      p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
      Set<String> keys =
          messages().map(Method::getName).collect(Collectors.toCollection(TreeSet::new));
      assertThat(p.stringPropertyNames()).as("keys of %s", name).isEqualTo(keys);
      messages()
          .forEach(
              m -> {
                String text = p.getProperty(m.getName());
                assertThat(text).as("%s in %s", m.getName(), name).isNotBlank();
                assertThat(params(text))
                    .as("parameters of %s in %s", m.getName(), name)
                    .isEqualTo(params(m.getAnnotation(Message.class).value()));
              });
    }
  }

  @org.junit.jupiter.api.Test
  void englishIsAlwaysOfferedFirst() {
    assertThat(JournalistLanguages.offered().get(0)).isEqualTo(Language.EN);
  }
}
