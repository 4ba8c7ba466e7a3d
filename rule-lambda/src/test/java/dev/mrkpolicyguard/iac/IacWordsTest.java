package dev.mrkpolicyguard.iac;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Text from templates cannot rewrite the terminal. */
class IacWordsTest {
  @Test
  void printable_escapeSequenceAndLineBreak_areWrittenAsCodes() {
    assertEquals("Key\\u001b[2J\\u000aFAKE", IacWords.printable("Key\u001b[2J\nFAKE"));
  }

  @Test
  void printable_bidiOverride_isWrittenAsACode() {
    assertEquals("a\\u202eb", IacWords.printable("a\u202eb"));
  }

  @Test
  void printable_plainUnicode_isKept() {
    assertEquals("clé-ключ", IacWords.printable("clé-ключ"));
  }
}
