package dev.mrkpolicyguard.cli.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class InputFileTest {
  @TempDir Path dir;

  private static String problem(String file, InputFile.Kind kind) {
    return assertThrows(UsageException.class, () -> InputFile.read("--in", file, kind))
        .getMessage();
  }

  private Path sized(String name, long length) throws IOException {
    Path file = dir.resolve(name);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(length);
    }
    return file;
  }

  @Test
  void read_fileAtTheLimit_isRead() throws IOException, UsageException {
    Path file = sized("policy.json", InputFile.Kind.POLICY.limit());
    assertEquals(65536, InputFile.read("--in", file.toString(), InputFile.Kind.POLICY).length);
  }

  @Test
  void read_policyOverTheLimit_namesTheFileAndTheLimit() throws IOException {
    Path file = sized("policy.json", 64 * 1024 + 1);
    assertEquals(
        "--in: cannot read '"
            + file
            + "': larger than 64 KiB, the limit for a key policy (KMS"
            + " allows 32 KB)",
        problem(file.toString(), InputFile.Kind.POLICY));
  }

  @Test
  void read_snapshotOverTheLimit_namesTheFileAndTheLimit() throws IOException {
    Path file = sized("fleet.json", 64L * 1024 * 1024 + 1);
    assertEquals(
        "--in: cannot read '"
            + file
            + "': larger than 64 MiB, the limit for a snapshot"
            + " (docs/snapshot.md)",
        problem(file.toString(), InputFile.Kind.SNAPSHOT));
  }

  @Test
  void read_endlessDevice_isRefusedWithoutReading() {
    assumeTrue(Files.exists(Path.of("/dev/zero")));
    assertEquals(
        "--in: cannot read '/dev/zero': not a regular file (a device, FIFO or socket); give a"
            + " snapshot file",
        problem("/dev/zero", InputFile.Kind.SNAPSHOT));
  }

  @Test
  @Timeout(60) // without the check, opening a FIFO with no writer blocks forever
  void read_fifo_isRefusedWithoutOpeningIt() throws Exception {
    Path fifo = dir.resolve("event.json");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assumeTrue(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "no mkfifo");
    assertEquals(
        "--in: cannot read '"
            + fifo
            + "': not a regular file (a device, FIFO or socket); give an AWS Config event file",
        problem(fifo.toString(), InputFile.Kind.EVENT));
  }

  @Test
  void read_directory_saysItIsOne() {
    assertEquals(
        "--in: cannot read '" + dir + "': it is a directory; give a baseline file",
        problem(dir.toString(), InputFile.Kind.BASELINE));
  }

  @Test
  void read_missingFile_saysSo() {
    assertEquals(
        "--in: no such file '" + dir.resolve("nope.json") + "'",
        problem(dir.resolve("nope.json").toString(), InputFile.Kind.POLICY));
  }

  @Test
  void read_regularFile_givesItsBytes() throws IOException, UsageException {
    Path file = dir.resolve("p.json");
    Files.write(file, new byte[] {'{', '}'});
    assertArrayEquals(
        new byte[] {'{', '}'}, InputFile.read("--in", file.toString(), InputFile.Kind.POLICY));
  }

  @Test
  void readUtf8_badByte_givesItsOffset() throws IOException {
    Path file = dir.resolve("fleet.json");
    Files.write(file, new byte[] {'{', '"', (byte) 0xe9, '"', '}'});
    UsageException e =
        assertThrows(
            UsageException.class,
            () -> InputFile.readUtf8("--in", file.toString(), InputFile.Kind.SNAPSHOT));
    assertEquals(
        "--in: cannot read '"
            + file
            + "': not UTF-8 text (invalid byte sequence at offset 2: 0xE9)",
        e.getMessage());
  }

  @Test
  void readUtf8_utf8Text_isDecoded() throws IOException, UsageException {
    Path file = dir.resolve("fleet.json");
    Files.writeString(file, "{\"alias\":\"é😀\"}", StandardCharsets.UTF_8);
    assertEquals(
        "{\"alias\":\"é😀\"}",
        InputFile.readUtf8("--in", file.toString(), InputFile.Kind.SNAPSHOT));
  }

  @Test
  void reason_exceptionWhoseMessageIsTheFileName_givesTheReasonInstead() {
    assertEquals("permission denied", InputFile.reason(new AccessDeniedException("fleet.json")));
    assertEquals(
        "Is a directory",
        InputFile.reason(new FileSystemException("fleet.json", null, "Is a directory")));
    assertEquals(
        "the file system refused it", InputFile.reason(new FileSystemException("fleet.json")));
  }
}
