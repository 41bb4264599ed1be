package io.runnel.kernel.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest, when there is one. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = RunnelCommand.class.getPackage().getImplementationVersion();
        return new String[] {"Runnel " + (version == null ? "(development build)" : version)};
    }
}
