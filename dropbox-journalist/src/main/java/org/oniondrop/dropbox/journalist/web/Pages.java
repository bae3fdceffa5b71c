package org.oniondrop.dropbox.journalist.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import java.util.List;
import org.oniondrop.dropbox.core.service.ConversationService;
import org.oniondrop.dropbox.core.service.InstanceSettings;
import org.oniondrop.dropbox.core.service.SubmissionKeyChanges;
import org.oniondrop.dropbox.core.view.JournalistView;

/**
 * The journalist pages' templates ({@code templates/JournalistPages/}), each taking the base {@link
 * Page} model first. They all include {@code jlayout}, which renders the navigation, the notice and
 * the language links from it.
 */
@CheckedTemplate(basePath = JournalistLanguages.TEMPLATES, requireTypeSafeExpressions = false)
public final class Pages {

  private Pages() {}

  static native TemplateInstance login(Page page, String error);

  static native TemplateInstance index(Page page, SourceTable table);

  static native TemplateInstance conversation(
      Page page, ConversationService.SourceSummary source, List<ConversationService.Item> items);

  static native TemplateInstance account(Page page);

  static native TemplateInstance totp(Page page, String forUser, String secret, String error);

  static native TemplateInstance admin(Page page, List<JournalistView> users);

  static native TemplateInstance instance(Page page, InstanceSettings.Settings settings);

  static native TemplateInstance key(
      Page page, String fingerprint, SubmissionKeyChanges.Change keyChange);

  static native TemplateInstance status(
      Page page,
      OnionStatus status,
      String fingerprint,
      SubmissionKeyChanges.Change keyChange,
      List<String> keys,
      String newKeyName,
      String newKeyLine);

  static native TemplateInstance message(Page page, String text);
}
