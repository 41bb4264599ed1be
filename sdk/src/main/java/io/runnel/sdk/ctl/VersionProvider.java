package io.runnel.sdk.ctl;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest, when there is one. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = RunnelCtl.class.getPackage().getImplementationVersion();
    return new String[] {"runnelctl " + (version == null ? "(development build)" : version)};
  }
}
