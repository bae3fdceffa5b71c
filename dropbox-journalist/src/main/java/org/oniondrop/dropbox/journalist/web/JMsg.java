package org.oniondrop.dropbox.journalist.web;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/** Strings of the journalist pages (English). */
@MessageBundle("jmsg")
public interface JMsg {
  @Message("Journalist login")
  String login_title();

  @Message("Username")
  String username();

  @Message("Passphrase")
  String passphrase();

  @Message("Two-factor code")
  String code();

  @Message("Log in")
  String login_button();

  @Message("Login failed: check your username, passphrase and two-factor code.")
  String login_failed();

  @Message("That two-factor code was already used. Wait for the next one.")
  String login_code_reused();

  @Message("Too many failed attempts. Wait a minute before trying again.")
  String login_throttled();

  @Message("Log out")
  String logout();

  @Message("Sources")
  String sources();

  @Message("Filter by designation")
  String filter();

  @Message("Filter")
  String filter_button();

  @Message("No sources yet.")
  String no_sources();

  @Message("messages")
  String messages();

  @Message("documents")
  String documents();

  @Message("replies")
  String replies();

  @Message("unread")
  String unread();

  @Message("Star")
  String star();

  @Message("Unstar")
  String unstar();

  @Message("Last activity")
  String last_activity();

  @Message("Download")
  String download();

  @Message("Download selected")
  String download_selected();

  @Message("Download unread")
  String download_unread();

  @Message("Download all")
  String download_all();

  @Message("Mark selected as seen")
  String mark_seen();

  @Message("Delete selected")
  String delete_selected();

  @Message("Delete the whole conversation")
  String delete_conversation();

  @Message("Delete this source and all its data")
  String delete_source();

  @Message("Write a reply")
  String reply_title();

  @Message("Your reply (encrypted to the source and to the submission key)")
  String reply_label();

  @Message("Send reply")
  String reply_send();

  @Message("Your reply was encrypted and stored. The source will see it when they log in.")
  String reply_sent();

  @Message("Your account")
  String account();

  @Message("Get a new passphrase")
  String new_passphrase();

  @Message("Your new passphrase (write it down now, it will not be shown again):")
  String new_passphrase_shown();

  @Message("Set up two-factor authentication")
  String totp_title();

  @Message(
      "Scan this code with your authenticator app, or type the secret, then enter the 6-digit code it shows.")
  String totp_explain();

  @Message("Verify")
  String totp_verify();

  @Message("That code did not match. Try again with the next code.")
  String totp_failed();

  @Message("Two-factor authentication is set up.")
  String totp_done();

  @Message("Admin")
  String admin();

  @Message("Users")
  String users();

  @Message("Add user")
  String add_user();

  @Message("First name")
  String first_name();

  @Message("Last name")
  String last_name();

  @Message("Administrator")
  String is_admin();

  @Message("Save")
  String save();

  @Message("Reset passphrase")
  String reset_passphrase();

  @Message("Reset two-factor")
  String reset_totp();

  @Message("Delete user")
  String delete_user();

  @Message("Instance settings")
  String instance();

  @Message("Organization name")
  String org_name();

  @Message("Allow document uploads")
  String allow_documents();

  @Message("Minimum length of a first message")
  String min_length();

  @Message("Refuse messages that contain the source's codename")
  String reject_codename();

  @Message("Logo (PNG, at most 512 KB)")
  String logo();

  @Message("Upload logo")
  String upload_logo();

  @Message("Submission key")
  String key();

  @Message("Fingerprint")
  String fingerprint();

  @Message("Files in the store quarantine (see: oniondrop store quarantine list)")
  String quarantined_files();

  @Message("New public key (ASCII armor)")
  String new_key();

  @Message("Replace the submission key")
  String rotate_key();

  @Message("Status")
  String status();

  @Message("Source onion address")
  String source_address();

  @Message("Journalist onion address")
  String journalist_address();

  @Message("Onion backend")
  String backend();

  @Message("Published")
  String published();

  @Message("not running")
  String not_running();

  @Message("You need to be an admin for this page.")
  String forbidden();

  @Message("This form has expired or is not valid. Reload the page and try again.")
  String bad_form();

  @Message("Not found.")
  String not_found();

  @Message("Done.")
  String done();

  @Message("Client authorization keys (journalist onion service)")
  String client_keys();

  @Message(
      "Each journalist or device can have its own key. A key works as soon as it is added and"
          + " stops working as soon as it is revoked.")
  String client_keys_explain();

  @Message(
      "New key. Save this line as a file with this name in the Tor client's ClientOnionAuthDir."
          + " It is shown only now.")
  String client_key_created();

  @Message("Key name (letters, digits, - and _)")
  String client_key_name();

  @Message("Add a key")
  String client_key_add();

  @Message("Revoke")
  String revoke();

  @Message("A key name is 1 to 64 letters, digits, '-' or '_'.")
  String client_key_invalid_name();

  @Message("A key with that name exists. Revoke it first, or choose another name.")
  String client_key_exists();

  @Message("There is no key with that name.")
  String client_key_unknown();

  @Message(
      "This is the last client key: without it no journalist could reach the journalist onion"
          + " service. Add another key first, then revoke this one.")
  String client_key_last();

  @Message("This server hosts no onion services, so there are no client keys to manage.")
  String client_key_no_onion();

  @Message("The key change could not be saved. See the server log.")
  String client_key_not_saved();

  @Message(
      "The journalist onion service is NOT published: no client key is authorized, and it is never"
          + " published without client authorization. Add a key below.")
  String journalist_waiting_for_key();

  @Message("Confirm it is you: your passphrase")
  String reauth_passphrase();

  @Message("and a new two-factor code (not the one you logged in with)")
  String reauth_code();

  @Message(
      "Not done: this action needs your current passphrase and a new two-factor code. Wait for"
          + " the next code if you just used one.")
  String reauth_failed();

  @Message("Submission key last replaced")
  String key_changed();

  @Message("by")
  String key_changed_by();

  // ---- refusals: one per JournalistError.Reason (JournalistErrors maps them) ----

  @Message("A username is 3 to 64 letters, digits, dots, dashes or underscores.")
  String error_username_invalid();

  @Message("That username is reserved. Choose another one.")
  String error_username_reserved();

  @Message("That username is taken. Choose another one.")
  String error_username_taken();

  @Message("First and last names are at most 100 characters.")
  String error_name_too_long();

  @Message("There is no such user.")
  String error_no_such_user();

  @Message("The last admin cannot be demoted or deleted. Make another user an admin first.")
  String error_last_admin();

  @Message("The system user that keeps deleted journalists' replies cannot be changed.")
  String error_system_user();

  @Message("That is not an OpenPGP public key, or it is damaged.")
  String error_key_malformed();

  @Message("That holds more than one key. Paste exactly one public key.")
  String error_key_multiple();

  @Message(
      "That is a SECRET key. Never give the secret submission key to the server: paste the public"
          + " key only, and keep the secret key on the offline computer.")
  String error_key_secret_given();

  @Message("That key is revoked.")
  String error_key_revoked();

  @Message("That key has expired.")
  String error_key_expired();

  @Message("That RSA key is too short. Use an RSA key of at least 2048 bits, or Curve25519.")
  String error_key_weak_rsa();

  @Message("That key's signatures rely on SHA-1. Make a new key with a current OpenPGP tool.")
  String error_key_sha1_binding();

  @Message("That key has no valid subkey for encryption.")
  String error_key_no_encryption_key();

  @Message("The key could not be saved on the server. See the server log.")
  String error_key_not_stored();

  @Message("The organization name must be 1 to 64 characters.")
  String error_organization_name();

  @Message("The logo must be a readable PNG of at most 512 KB and 2048x2048 pixels.")
  String error_logo_refused();

  @Message("The logo could not be saved on the server. See the server log.")
  String error_logo_not_stored();

  @Message("The reply could not be encrypted and stored. See the server log.")
  String error_reply_not_stored();

  // ---- the sources table (plural forms and ages worded here, so translations follow) ----

  @Message("Source")
  String col_source();

  @Message("Items")
  String col_items();

  @Message("Unread")
  String col_unread();

  @Message("Starred")
  String starred();

  @Message("Select")
  String select();

  @Message("{#if count == 1}1 message{#else}{count} messages{/if}")
  String messages_count(long count);

  @Message("{#if count == 1}1 document{#else}{count} documents{/if}")
  String documents_count(long count);

  @Message("{#if count == 1}1 reply{#else}{count} replies{/if}")
  String replies_count(long count);

  @Message("{#if count == 0}none{#else}{count} unread{/if}")
  String unread_count(long count);

  @Message("just now")
  String ago_now();

  @Message("{#if count == 1}1 minute ago{#else}{count} minutes ago{/if}")
  String ago_minutes(long count);

  @Message("{#if count == 1}1 hour ago{#else}{count} hours ago{/if}")
  String ago_hours(long count);

  @Message("{#if count == 1}1 day ago{#else}{count} days ago{/if}")
  String ago_days(long count);

  @Message("{#if count == 1}1 month ago{#else}{count} months ago{/if}")
  String ago_months(long count);

  @Message("With the selected sources")
  String bulk_title();

  @Message("Apply to every source listed (ignore the ticks)")
  String bulk_all();

  @Message("Download unread")
  String bulk_download_unread();

  @Message("Download all")
  String bulk_download_all();

  @Message("Mark everything seen")
  String bulk_seen();

  @Message("Delete the sources and all their data")
  String bulk_delete();

  @Message("No source was selected. Tick one or more sources, or choose every source listed.")
  String bulk_none_selected();
}
