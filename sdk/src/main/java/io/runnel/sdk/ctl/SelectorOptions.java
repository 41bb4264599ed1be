package io.runnel.sdk.ctl;

import io.runnel.grpc.v1.Selector;
import picocli.CommandLine.Option;

/** Which queued mail a command acts on; every option given must match (AND). */
final class SelectorOptions {

  @Option(names = "--tenant", paramLabel = "NAME", description = "Only this tenant's mail.")
  String tenant = "";

  @Option(names = "--campaign", paramLabel = "NAME", description = "Only this campaign's mail.")
  String campaign = "";

  @Option(names = "--domain", paramLabel = "DOMAIN", description = "Only mail to this recipient domain (.example.net: with sub-domains).")
  String domain = "";

  @Option(names = "--site", paramLabel = "SITE", description = "Only mail to this site (MX host set, as in delivery records).")
  String site = "";

  @Option(names = "--source", paramLabel = "NAME", description = "Only mail leaving by this egress source.")
  String source = "";

  Selector selector() {
    return Selector.newBuilder().setTenant(tenant).setCampaign(campaign).setDomain(domain).setSite(site)
        .setSource(source).build();
  }

  boolean isEmpty() {
    return selector().equals(Selector.getDefaultInstance());
  }
}
