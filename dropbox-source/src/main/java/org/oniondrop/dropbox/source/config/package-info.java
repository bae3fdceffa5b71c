/** Source interface settings. */
package org.oniondrop.dropbox.source.config;
