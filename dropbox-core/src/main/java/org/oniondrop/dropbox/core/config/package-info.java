/** Typed configuration ({@code @ConfigMapping}) for the dropbox; safe defaults, no secrets. */
package org.oniondrop.dropbox.core.config;
