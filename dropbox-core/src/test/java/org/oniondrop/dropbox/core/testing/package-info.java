/**
 * Test support shared by the interface modules through dropbox-core's test jar: GpgKeyResource,
 * TestClock, the layer guard (LayerGuard) and test-only entity reads (EntityRows).
 */
package org.oniondrop.dropbox.core.testing;
