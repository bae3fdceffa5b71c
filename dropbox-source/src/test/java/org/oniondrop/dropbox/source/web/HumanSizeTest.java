package org.oniondrop.dropbox.source.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HumanSizeTest {

  @Test
  void limitsReadAsSecureDropLabelsThem() {
    // SecureDrop's 500 MB limit is 524,288,000 bytes; it must not read "524 MB".
    assertThat(SourceResource.humanSize(524_288_000L)).isEqualTo("500 MB");
    assertThat(SourceResource.humanSize(10L << 20)).isEqualTo("10 MB");
    assertThat(SourceResource.humanSize(5L << 29)).isEqualTo("2.5 GB");
  }
}
