package org.oniondrop.dropbox.journalist.web;

import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.oniondrop.dropbox.core.service.ConversationService;
import org.oniondrop.dropbox.core.service.ConversationService.Item;
import org.oniondrop.dropbox.core.service.ConversationService.Selection;
import org.oniondrop.dropbox.core.service.FileNames;
import org.oniondrop.dropbox.core.service.JournalistError;
import org.oniondrop.dropbox.core.view.SourceView;

/**
 * The sources list and one source's conversation (SecureDrop's {@code main} index and {@code col}
 * blueprint): read, download, mark seen, star, delete, reply; bulk actions across sources. Which
 * items an action touches is decided by {@link ConversationService} (the API calls the same rules);
 * this class only turns forms into those calls and results into pages.
 */
@Path("/journalist")
@Blocking
@Consumes({MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA})
@JournalistGate
public class SourcePages extends JournalistPage {

  /** Replies typed on the page are at most this long. */
  public static final int MAX_REPLY_CHARS = 100_000;

  @Inject ConversationService conversations;
  @Inject Clock clock;

  @GET
  @Path("/")
  @Produces(MediaType.TEXT_HTML)
  public Response index(@QueryParam("filter") String filter) {
    List<ConversationService.SourceSummary> sources = conversations.sources(me(), filter);
    return ok(Pages.index(page(), SourceTable.of(sources, filter, clock.instant())));
  }

  @POST
  @Path("star")
  public Response star(@FormParam("source") String source, @FormParam("starred") boolean starred) {
    conversations.star(source, starred);
    return see("/journalist/");
  }

  /**
   * A bulk action on the sources ticked on the list (or all of them): download their unread or all
   * items as one ZIP, mark everything seen, or delete the sources with all their data.
   */
  @POST
  @Path("bulk")
  public Response bulk(
      @FormParam("action") String action,
      @FormParam("source") List<String> selected,
      @FormParam("all") boolean all,
      @FormParam("filter") String filter) {
    List<SourceView> sources =
        conversations.sources(
            all
                ? conversations.sources(me(), filter).stream()
                    .map(ConversationService.SourceSummary::uuid)
                    .toList()
                : selected);
    if (sources.isEmpty()) {
      return done("/journalist/", msg.bulk_none_selected());
    }
    switch (action == null ? "" : action) {
      case "download-unread", "download-all" -> {
        Selection which = action.equals("download-unread") ? Selection.UNREAD : Selection.ALL;
        List<Downloads.Entry> entries = new ArrayList<>();
        for (SourceView s : sources) {
          List<Item> items = conversations.select(s.uuid(), me(), which, List.of());
          entries.addAll(entries(s, items));
          conversations.markSeen(me(), items);
        }
        return Downloads.zip(entries, "sources.zip");
      }
      case "seen" -> {
        for (SourceView s : sources) {
          conversations.markSeen(
              me(), conversations.select(s.uuid(), me(), Selection.ALL, List.of()));
        }
        return done("/journalist/", msg.done());
      }
      case "delete" -> {
        for (SourceView s : sources) {
          conversations.deleteSource(s.uuid());
        }
        return done("/journalist/", msg.done());
      }
      default -> throw new JournalistError(JournalistError.Reason.BAD_FORM);
    }
  }

  @GET
  @Path("col/{source}")
  @Produces(MediaType.TEXT_HTML)
  public Response conversation(@PathParam("source") String uuid) {
    return ok(
        Pages.conversation(
            page(), conversations.summary(uuid, me()), conversations.items(uuid, me())));
  }

  /** One stored item, whole or ranged; reading it marks it seen by this journalist. */
  @GET
  @Path("col/{source}/{filename}")
  public Response download(
      @PathParam("source") String uuid,
      @PathParam("filename") String filename,
      @HeaderParam("Range") String range) {
    Item item = conversations.item(uuid, me(), filename);
    conversations.markSeen(me(), List.of(item));
    try {
      return Downloads.file(conversations.file(uuid, filename), item.sha256(), filename, range);
    } catch (IOException e) {
      throw new JournalistError(JournalistError.Reason.NOT_FOUND);
    }
  }

  @POST
  @Path("col/{source}/action")
  public Response action(
      @PathParam("source") String uuid,
      @FormParam("action") String action,
      @FormParam("item") List<String> chosen) {
    SourceView s = conversations.requireSource(uuid);
    String back = "/journalist/col/" + uuid;
    switch (action == null ? "" : action) {
      case "download-selected", "download-unread", "download-all" -> {
        Selection which =
            switch (action) {
              case "download-selected" -> Selection.CHOSEN;
              case "download-unread" -> Selection.UNREAD;
              default -> Selection.ALL;
            };
        List<Item> items = conversations.select(s.uuid(), me(), which, chosen);
        List<Downloads.Entry> entries = entries(s, items);
        conversations.markSeen(me(), items);
        return Downloads.zip(entries, FileNames.journalistFilename(s.designation()) + ".zip");
      }
      case "seen" -> {
        conversations.markSeen(
            me(), conversations.select(s.uuid(), me(), Selection.CHOSEN, chosen));
        return see(back);
      }
      case "delete-selected" -> {
        conversations.deleteItems(
            s.uuid(), conversations.select(s.uuid(), me(), Selection.CHOSEN, chosen));
        return see(back);
      }
      case "delete-conversation" -> {
        conversations.deleteConversation(s.uuid());
        return see(back);
      }
      case "delete-source" -> {
        conversations.deleteSource(s.uuid());
        return see("/journalist/");
      }
      default -> throw new JournalistError(JournalistError.Reason.BAD_FORM);
    }
  }

  /** ZIP entries {@code <designation>/<stored name>} for these items of {@code s}. */
  private List<Downloads.Entry> entries(SourceView s, List<Item> items) {
    String folder = FileNames.journalistFilename(s.designation());
    List<Downloads.Entry> entries = new ArrayList<>();
    for (Item i : items) {
      entries.add(
          new Downloads.Entry(
              folder + "/" + i.filename(), conversations.file(s.uuid(), i.filename())));
    }
    return entries;
  }

  @POST
  @Path("col/{source}/reply")
  public Response reply(@PathParam("source") String uuid, @FormParam("message") String text) {
    // An unknown source is NOT_FOUND before a bad form is BAD_FORM.
    conversations.requireSource(uuid);
    if (text == null || text.isBlank() || text.length() > MAX_REPLY_CHARS) {
      throw new JournalistError(JournalistError.Reason.BAD_FORM);
    }
    conversations.reply(me(), uuid, text);
    return done("/journalist/col/" + uuid, msg.reply_sent());
  }
}
