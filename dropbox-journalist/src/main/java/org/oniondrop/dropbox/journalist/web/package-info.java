/**
 * Journalist and admin pages (Qute, one layout, strings from the {@code jmsg} bundle, no script).
 */
package org.oniondrop.dropbox.journalist.web;
