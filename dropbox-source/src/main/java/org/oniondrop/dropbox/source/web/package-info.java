/**
 * Source pages (Qute, one base layout, every string from the {@code msg} bundle), the streaming
 * upload route, and the security headers every response carries: a strict CSP with {@code
 * default-src 'none'}, {@code Cache-Control: no-store}, {@code Referrer-Policy: no-referrer},
 * {@code X-Content-Type-Options: nosniff}, {@code frame-ancestors 'none'}, cross-origin policies,
 * and no server banner.
 */
package org.oniondrop.dropbox.source.web;
