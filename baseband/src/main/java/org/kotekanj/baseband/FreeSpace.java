package org.kotekanj.baseband;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Free bytes where a dump will be written; replaceable so tests can run a disk out of space. */
@FunctionalInterface
public interface FreeSpace
{
    /** Usable bytes on the file system holding {@code directory} (or its nearest existing ancestor). */
    long usableBytes(Path directory) throws IOException;

    /** What the file system says. */
    static FreeSpace fileSystem()
    {
        return directory ->
        {
            Path existing = directory.toAbsolutePath();
            while (existing != null && !Files.exists(existing))
            {
                existing = existing.getParent();
            }
            if (existing == null)
            {
                throw new IOException("no existing directory above " + directory);
            }
            return Files.getFileStore(existing).getUsableSpace();
        };
    }
}
