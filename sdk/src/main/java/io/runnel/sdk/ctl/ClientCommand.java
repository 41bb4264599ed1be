package io.runnel.sdk.ctl;

import io.runnel.sdk.client.RunnelClient;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A runnelctl command that talks to the daemon: connects with the root's options, runs, closes the channel. */
abstract class ClientCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Override
  public final Integer call() throws Exception {
    RunnelCtl root = (RunnelCtl) spec.root().userObject();
    validate();
    try (RunnelClient client = root.connect(spec.commandLine())) {
      return run(client, new Output(spec.commandLine().getOut(), root.json));
    }
  }

  /** Checks the options before connecting; throws picocli's ParameterException (exit 2). */
  void validate() {
  }

  /** Runs the command; returns the exit code. */
  abstract int run(RunnelClient client, Output out) throws Exception;

  CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
