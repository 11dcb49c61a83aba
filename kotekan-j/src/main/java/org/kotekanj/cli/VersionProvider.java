package org.kotekanj.cli;

import org.kotekanj.service.Version;
import picocli.CommandLine;

/** Supplies {@code --version}. */
public final class VersionProvider implements CommandLine.IVersionProvider
{
    @Override
    public String[] getVersion()
    {
        return new String[] {Version.softwareVersion() + " (Java " + Runtime.version() + ")"};
    }
}
