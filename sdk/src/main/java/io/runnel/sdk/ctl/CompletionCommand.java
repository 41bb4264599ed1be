package io.runnel.sdk.ctl;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code runnelctl completion}: prints the bash (and zsh) completion script. */
@Command(name = "completion", mixinStandardHelpOptions = true,
    description = {"Print a bash/zsh completion script for runnelctl:", "  source <(runnelctl completion)"})
final class CompletionCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().getOut().print(AutoComplete.bash("runnelctl", spec.root().commandLine()));
    spec.commandLine().getOut().flush();
  }
}
