package org.oniondrop.dropbox.source.web;

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
 * Every language the source interface offers has a complete bundle: every key of {@link Msg}, no
 * key that Msg does not have, no empty value, and the same {@code {parameters}} as the English
 * text. Adding a {@link Language} without its {@code msg_xx.properties} fails here, and so does a
 * new English string that is not yet translated everywhere (docs/translations.md).
 */
class SourceBundlesTest {

  private static final Pattern PARAM = Pattern.compile("\\{(\\w+)\\}");

  static Set<String> params(String text) {
    Set<String> found = new TreeSet<>();
    Matcher m = PARAM.matcher(text);
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }

  static Properties bundle(String name) throws IOException {
    try (InputStream in = Msg.class.getResourceAsStream("/messages/" + name)) {
      assertThat(in).as("messages/%s is missing", name).isNotNull();
      Properties p = new Properties();
      p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
      return p;
    }
  }

  static Stream<Method> messages() {
    return Stream.of(Msg.class.getDeclaredMethods())
        .filter(m -> m.isAnnotationPresent(Message.class));
  }

  @ParameterizedTest
  @EnumSource(Language.class)
  void everyOfferedLanguageHasEveryKeyWithTheSameParameters(Language language) throws IOException {
    assertThat(SourceLanguages.OFFERED).contains(language);
    if (language == Language.EN) {
      assertThat(messages().count()).isGreaterThan(40);
      return;
    }
    Properties translated = bundle("msg_" + language.code() + ".properties");
    Set<String> keys =
        messages().map(Method::getName).collect(Collectors.toCollection(TreeSet::new));
    assertThat(translated.stringPropertyNames())
        .as("keys of msg_%s", language.code())
        .isEqualTo(keys);
    messages()
        .forEach(
            m -> {
              String english = m.getAnnotation(Message.class).value();
              String text = translated.getProperty(m.getName());
              assertThat(text).as("%s in %s", m.getName(), language.code()).isNotBlank();
              assertThat(params(text))
                  .as("parameters of %s in %s", m.getName(), language.code())
                  .isEqualTo(params(english));
            });
    // The EFF note names the list in every language (codenames stay English words).
    assertThat(translated.getProperty("codename_language_note")).contains("EFF");
  }
}
