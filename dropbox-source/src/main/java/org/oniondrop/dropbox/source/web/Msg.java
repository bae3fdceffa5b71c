package org.oniondrop.dropbox.source.web;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * Every string of the source pages, in English; {@code
 * src/main/resources/messages/msg_xx.properties} holds each other language (docs/translations.md;
 * {@code SourceBundlesTest} fails when a key is missing from any of them).
 */
@MessageBundle("msg")
public interface Msg {

  @Message("Submit securely to {org}")
  String landing_title(String org);

  @Message(
      "Use this site to share messages and documents with {org}. Everything you send is encrypted the moment it arrives, and nobody here learns who you are.")
  String landing_intro(String org);

  @Message("First submission")
  String landing_first();

  @Message("Get a codename and send your first message or document.")
  String landing_first_hint();

  @Message("Returning source")
  String landing_returning();

  @Message("Log in with your codename to read replies or send more.")
  String landing_returning_hint();

  @Message("For your safety, use Tor Browser with its security level set to Safest.")
  String safety_hint();

  @Message("Your codename")
  String generate_title();

  @Message(
      "This is your codename. Write it down on paper and keep it somewhere safe. It is the only way to come back, read replies and send more. We cannot show it to you again after you log out, and nobody can recover it.")
  String generate_explain();

  @Message("Do not store it on a computer or phone you share, and do not use it anywhere else.")
  String generate_warning();

  @Message("I have written it down: continue")
  String generate_continue();

  @Message("Your codename is:")
  String lookup_codename_reminder();

  @Message("Send a message or a document")
  String lookup_submit_title();

  @Message("Message")
  String lookup_message_label();

  @Message("Document (up to {size})")
  String lookup_file_label(String size);

  @Message("Submit")
  String lookup_submit();

  @Message("Replies")
  String lookup_replies_title();

  @Message("No replies yet. Check back later.")
  String lookup_no_replies();

  @Message("This reply could not be decrypted.")
  String lookup_reply_unreadable();

  @Message("Delete this reply")
  String lookup_delete_reply();

  @Message("Log out")
  String logout();

  @Message("Thank you. Your submission was received and encrypted.")
  String received_title();

  @Message(
      "Log in again later with your codename to read replies. Check back over the next days: journalists may need time.")
  String received_hint();

  @Message("Back to your page")
  String received_back();

  @Message("Log in with your codename")
  String login_title();

  @Message("Codename")
  String login_codename_label();

  @Message("Continue")
  String login_continue();

  @Message("Sorry, that is not a recognized codename.")
  String login_failed();

  @Message("You are logged out.")
  String logged_out_title();

  @Message("To cover your tracks, close Tor Browser or use its New Identity button.")
  String logged_out_hint();

  @Message("Your session timed out due to inactivity.")
  String expired_title();

  @Message("Log in again with your codename to continue.")
  String expired_hint();

  @Message("Log in")
  String login_link();

  @Message("Home")
  String home_link();

  @Message("This form has expired or is not valid. Please go back, reload the page and try again.")
  String error_csrf();

  @Message("Please write a message or choose a document.")
  String error_empty();

  @Message("Your message is too long: the limit is {limit} characters.")
  String error_message_too_long(int limit);

  @Message("Your first message must be at least {limit} characters long.")
  String error_message_too_short(int limit);

  @Message("Please do not include your codename in your message.")
  String error_message_has_codename();

  @Message(
      "This file is too large. The limit is {size}. Please split it into smaller parts and send them one by one.")
  String error_too_large(String size);

  @Message("This organization does not accept documents right now; please send a message.")
  String error_no_documents();

  @Message("Too many attempts. Please wait a minute and try again.")
  String error_rate_limited();

  @Message("The server is busy right now. Nothing was lost: please wait a moment and try again.")
  String error_busy();

  @Message("The submission could not be received. Nothing was stored; please try again.")
  String error_upload_failed();

  @Message(
      "The server has no room to store your submission right now. Nothing of it was kept. Please"
          + " try again later.")
  String error_store_full();

  @Message("The request was not understood.")
  String error_bad_request();

  @Message(
      "The whole submission is too large. The limit for all files and the message together is {size}. Please send them in several submissions.")
  String error_submission_too_large(String size);

  @Message(
      "Too many files at once: the limit is {count}. Please send the rest in another submission.")
  String error_too_many_files(int count);

  @Message(
      "The upload was too slow and was stopped. Nothing was stored; please try again, perhaps with fewer or smaller files.")
  String error_upload_too_slow();

  @Message("Many uploads are running right now. Nothing was stored; please try again in a moment.")
  String error_uploads_busy();

  @Message("You can choose several files at once: at most {count}, {size} in total.")
  String lookup_files_hint(int count, String size);

  @Message("What was stored:")
  String received_stored();

  @Message("Your message ({chars} characters)")
  String received_message(int chars);

  @Message("Page not found.")
  String error_not_found();

  @Message("Language")
  String language_menu();

  @Message(
      "Codenames are always made of words from the EFF's English word list, whatever language this page is shown in.")
  String codename_language_note();

  @Message("When you are done, log out with the button at the top of the page.")
  String received_logout_hint();
}
