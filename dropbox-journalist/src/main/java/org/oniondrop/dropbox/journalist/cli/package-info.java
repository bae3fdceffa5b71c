/** Operator commands run from the server's command line (first admin). */
package org.oniondrop.dropbox.journalist.cli;
