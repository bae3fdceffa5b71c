package org.oniondrop.dropbox.core.view;

/**
 * A source as the journalist pages address it: its uuid (what every action names) and its
 * designation (the folder of a download). The filesystem id and the keys stay in dropbox-core.
 */
public record SourceView(String uuid, String designation) {}
