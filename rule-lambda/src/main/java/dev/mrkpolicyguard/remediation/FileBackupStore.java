package dev.mrkpolicyguard.remediation;

import dev.mrkpolicyguard.cli.common.InputFile;
import dev.mrkpolicyguard.cli.common.UsageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;

/**
 * Backups as local files under a directory, at {@code <dir>/<account>/<region>/<key-id>/<UTC
 * timestamp>.json}: what the command line uses when no bucket is given. Where the file system has
 * POSIX permissions, the directories it creates and the backups are its owner's only ({@code
 * rwx------}, {@code rw-------}): a key policy names the account's principals.
 */
public final class FileBackupStore implements BackupStore {
  private static final Set<PosixFilePermission> OWNER_DIRECTORY =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_FILE =
      PosixFilePermissions.fromString("rw-------");

  private final Path directory;

  /** Backups saved under {@code directory}. */
  public FileBackupStore(Path directory) {
    this.directory = Objects.requireNonNull(directory, "directory");
  }

  @Override
  public String save(PolicyBackup backup) {
    Path file = directory.resolve(BackupStore.relativeName(backup)).toAbsolutePath();
    boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
    try {
      if (posix) {
        Files.createDirectories(file.getParent(), attribute(OWNER_DIRECTORY));
        Files.createFile(file, attribute(OWNER_FILE));
      } else {
        Files.createDirectories(file.getParent());
        Files.createFile(file);
      }
      Files.write(file, backup.toJson());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the backup " + file + ": " + InputFile.reason(e), e);
    }
    return file.toString();
  }

  private static FileAttribute<Set<PosixFilePermission>> attribute(
      Set<PosixFilePermission> permissions) {
    return PosixFilePermissions.asFileAttribute(permissions);
  }

  @Override
  public Fetched load(String location) {
    byte[] json;
    try {
      json = InputFile.read("--restore", location, InputFile.Kind.BACKUP);
    } catch (UsageException e) {
      return new Fetched.Unusable(e.getMessage());
    }
    return PolicyBackup.fromJson(json)
        .<Fetched>map(Fetched.Found::new)
        .orElse(new Fetched.Unusable(location + " is not a policy backup (format 1)"));
  }
}
