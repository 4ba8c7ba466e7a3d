package dev.mrkpolicyguard.cli.common;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * Reading the files a command is given: regular files only (a device such as {@code /dev/zero}, a
 * FIFO or a socket is refused before it is opened, so it can neither exhaust memory nor hang), and
 * never more than the bound of the {@link Kind} of input. Every problem is a {@link UsageException}
 * naming the option, the file and the reason.
 */
public final class InputFile {
  private static final long KIB = 1024;
  private static final long MIB = 1024 * KIB;

  /** What a file holds, with the most bytes read of it. */
  public enum Kind {
    /**
     * A key policy: KMS allows 32 KB; twice that leaves room for whitespace and a byte-order mark.
     */
    POLICY("a key policy", 64 * KIB, "KMS allows 32 KB"),
    /** An AWS Config rule event: Lambda refuses payloads over 6 MB. */
    EVENT("an AWS Config event", 6 * MIB, "Lambda accepts at most 6 MB"),
    /** A fleet snapshot (docs/snapshot.md). */
    SNAPSHOT("a snapshot", 64 * MIB, "docs/snapshot.md"),
    /** A baseline (docs/baseline.md). */
    BASELINE("a baseline", 1 * MIB, "docs/baseline.md"),
    /** A CloudFormation template (CloudFormation takes up to 1 MB) or a Terraform plan. */
    TEMPLATE(
        "a CloudFormation template or Terraform plan",
        64 * MIB,
        "CloudFormation takes templates up to 1 MB; plans can be larger"),
    /** A remediation backup: one key policy and a few fields. */
    BACKUP("a policy backup", 1 * MIB, "one key policy and its metadata");

    private final String what;
    private final long limit;
    private final String why;

    Kind(String what, long limit, String why) {
      this.what = what;
      this.limit = limit;
      this.why = why;
    }

    /** The most bytes read of such a file. */
    public long limit() {
      return limit;
    }
  }

  private InputFile() {}

  /** The bytes of {@code file}, given with {@code option} (e.g. {@code --snapshot}). */
  public static byte[] read(String option, String file, Kind kind) throws UsageException {
    Path path;
    try {
      path = Path.of(file);
    } catch (InvalidPathException e) {
      throw problem(option, file, "not a valid path (" + e.getReason() + ")");
    }
    if (Files.isDirectory(path)) {
      throw problem(option, file, "it is a directory; give " + kind.what + " file");
    }
    if (Files.exists(path) && !Files.isRegularFile(path)) {
      throw problem(
          option,
          file,
          "not a regular file (a device, FIFO or socket); give " + kind.what + " file");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(path)) {
      bytes = in.readNBytes((int) kind.limit + 1);
    } catch (NoSuchFileException e) {
      throw new UsageException(option + ": no such file '" + file + "'");
    } catch (IOException e) {
      throw problem(option, file, reason(e));
    }
    if (bytes.length > kind.limit) {
      throw problem(
          option,
          file,
          "larger than "
              + size(kind.limit)
              + ", the limit for "
              + kind.what
              + " ("
              + kind.why
              + ")");
    }
    return bytes;
  }

  /** The text of {@code file}, which must be UTF-8; a bad byte is reported with its offset. */
  public static String readUtf8(String option, String file, Kind kind) throws UsageException {
    byte[] bytes = read(option, file, kind);
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      throw problem(
          option,
          file,
          String.format(
              "not UTF-8 text (invalid byte sequence at offset %d: 0x%02X)",
              in.position(), bytes[in.position()] & 0xff));
    }
    return out.flip().toString();
  }

  /**
   * Why reading or writing a file failed, in words: never just the file name, which is all the
   * message of some exceptions (e.g. {@link AccessDeniedException}) holds.
   */
  public static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "it already exists";
    }
    if (e instanceof NotDirectoryException) {
      return "a part of the path is not a directory";
    }
    if (e instanceof FileSystemLoopException) {
      return "too many levels of symbolic links";
    }
    if (e instanceof FileSystemException fs) {
      return fs.getReason() != null ? fs.getReason() : "the file system refused it";
    }
    String message = e.getMessage();
    return message == null || message.isBlank() ? "input or output error" : message;
  }

  private static UsageException problem(String option, String file, String reason) {
    return new UsageException(option + ": cannot read '" + file + "': " + reason);
  }

  private static String size(long bytes) {
    return bytes % MIB == 0 ? bytes / MIB + " MiB" : bytes / KIB + " KiB";
  }
}
