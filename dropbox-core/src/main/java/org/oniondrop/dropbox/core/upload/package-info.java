/**
 * The submission path, in the order bytes flow: {@link
 * org.oniondrop.dropbox.core.upload.MultipartParser} (a sans-IO, bounded streaming parser fed on
 * the event loop) -> {@link org.oniondrop.dropbox.core.upload.SubmissionForm} (which part is what,
 * per-file and per-submission limits, large batches) -> {@link
 * org.oniondrop.dropbox.core.upload.UploadPipeline} (a bounded pool, one serial lane per upload,
 * backpressure) -> {@link org.oniondrop.dropbox.core.upload.EncryptingItem} (gzip -> OpenPGP -> a
 * temporary store file) -> {@link
 * org.oniondrop.dropbox.core.service.SubmissionService#storeSubmission} (fsync, rename and one
 * database commit for the message and every file of the form).
 *
 * <p>Security first: no plaintext leaves memory (promise 1), every input is bounded by a named
 * limit before it is buffered, and nothing is stored unless the whole form is (promise 7).
 */
package org.oniondrop.dropbox.core.upload;
