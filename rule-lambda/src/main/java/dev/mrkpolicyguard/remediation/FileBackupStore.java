package dev.mrkpolicyguard.remediation;

import dev.mrkpolicyguard.cli.common.InputFile;
import dev.mrkpolicyguard.cli.common.UsageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Backups as local files under a directory, at {@code <dir>/<account>/<region>/<key-id>/<UTC
 * timestamp>.json}: what the command line uses when no bucket is given.
 */
public final class FileBackupStore implements BackupStore {
  private final Path directory;

  /** Backups saved under {@code directory}. */
  public FileBackupStore(Path directory) {
    this.directory = Objects.requireNonNull(directory, "directory");
  }

  @Override
  public String save(PolicyBackup backup) {
    Path file = directory.resolve(BackupStore.relativeName(backup));
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, backup.toJson());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the backup " + file, e);
    }
    return file.toString();
  }

  @Override
  public Loaded load(String location) {
    byte[] json;
    try {
      json = InputFile.read("--restore", location, InputFile.Kind.BACKUP);
    } catch (UsageException e) {
      return new Loaded.Unusable(e.getMessage());
    }
    return PolicyBackup.fromJson(json)
        .<Loaded>map(Loaded.Found::new)
        .orElse(new Loaded.Unusable(location + " is not a policy backup (format 1)"));
  }
}
