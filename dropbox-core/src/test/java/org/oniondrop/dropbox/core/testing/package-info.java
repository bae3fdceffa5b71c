/** Test support shared by the interface modules through dropbox-core's test jar. */
package org.oniondrop.dropbox.core.testing;
