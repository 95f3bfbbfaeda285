package dev.dossier.client.cli;

import dev.dossier.common.build.ProjectVersion;
import picocli.CommandLine;

/** What {@code --version} prints, on every command and subcommand: {@code dossier <project version>}. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {ProjectVersion.line("dossier")};
    }
}
