/**
 * Test support shared by the interface modules through dropbox-core's test jar: GpgKeyResource,
 * TestClock.
 */
package org.oniondrop.dropbox.core.testing;
