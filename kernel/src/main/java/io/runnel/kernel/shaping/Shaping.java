package io.runnel.kernel.shaping;

import io.runnel.kernel.shaping.automation.AutomationRule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The loaded shaping files ({@code conf/shaping.toml} and any others, merged in order): the {@code ["default"]}
 * block, provider blocks matched by MX or domain suffix, per-domain blocks and per-tenant rates. Immutable; a reload
 * builds a new one.
 *
 * <p>A path (egress source to site) stacks, later winning key by key: {@code ["default"]}, the first provider that
 * matches, the block of the domain whose MX set is the site (MX rollup), the block of the domain itself when it
 * opts out of rollup ({@code mx_rollup = false}); each block's {@code sources."<source>"} part right after the block.
 *
 * @param files the files read, in order
 */
public record Shaping(Block defaults, List<Provider> providers, Map<String, DomainBlock> domains,
                      Map<String, TenantRates> tenants, List<Path> files) {

    public Shaping {
        Objects.requireNonNull(defaults, "defaults");
        providers = List.copyOf(providers);
        domains = Map.copyOf(domains);
        tenants = Map.copyOf(tenants);
        files = List.copyOf(files);
    }

    /** No shaping files: every path runs on the {@code [delivery]} limits. */
    public static Shaping none() {
        return new Shaping(Block.empty("default"), List.of(), Map.of(), Map.of(), List.of());
    }

    /**
     * One block's keys.
     *
     * @param name       how the file names it ({@code default}, {@code example.com}, {@code provider.yahoo})
     * @param settings   the block's own keys
     * @param sources    {@code sources."<name>"} parts: keys for one egress source only
     * @param automation the block's automation rules
     */
    public record Block(String name, PathSettings settings, Map<String, PathSettings> sources,
                        List<AutomationRule> automation) {
        public Block {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(settings, "settings");
            sources = Map.copyOf(sources);
            automation = List.copyOf(automation);
        }

        public static Block empty(String name) {
            return new Block(name, PathSettings.EMPTY, Map.of(), List.of());
        }

        /** The block's keys, then its part for {@code source}. */
        public PathSettings forSource(String source) {
            return settings.overlay(sources.getOrDefault(source, PathSettings.EMPTY));
        }

        /** This block with {@code later}'s keys on top (a later file adding to a block of an earlier one). */
        public Block merge(Block later) {
            Map<String, PathSettings> merged = new java.util.LinkedHashMap<>(sources);
            later.sources.forEach((source, keys) -> merged.merge(source, keys, PathSettings::overlay));
            List<AutomationRule> rules = new ArrayList<>(automation);
            rules.addAll(later.automation);
            return new Block(name, settings.overlay(later.settings), merged, rules);
        }
    }

    /** A {@code [provider."<name>"]} block and what it matches. */
    public record Provider(String name, List<Match> matches, Block block) {
        public Provider {
            Objects.requireNonNull(name, "name");
            matches = List.copyOf(matches);
            Objects.requireNonNull(block, "block");
        }

        /** Any one match entry fits. */
        public boolean matches(String domain, List<String> mxHosts) {
            return matches.stream().anyMatch(m -> m.fits(domain, mxHosts));
        }
    }

    /**
     * One {@code match} entry: {@code {MXSuffix=".yahoodns.net"}} fits when every MX host of the site ends with the
     * suffix; {@code {DomainSuffix=".example.com"}} when the recipient domain does (or equals it without the dot).
     */
    public record Match(Kind kind, String suffix) {
        public enum Kind { MX_SUFFIX, DOMAIN_SUFFIX }

        public Match {
            Objects.requireNonNull(kind, "kind");
            suffix = suffix.toLowerCase(Locale.ROOT);
        }

        boolean fits(String domain, List<String> mxHosts) {
            return switch (kind) {
                case MX_SUFFIX -> !mxHosts.isEmpty() && mxHosts.stream().allMatch(this::suffixOf);
                case DOMAIN_SUFFIX -> suffixOf(domain);
            };
        }

        private boolean suffixOf(String name) {
            String n = name.toLowerCase(Locale.ROOT);
            return n.endsWith(suffix) || ("." + n).equals(suffix);
        }
    }

    /**
     * A {@code ["<domain>"]} block.
     *
     * @param mxRollup true (the default): the block shapes the whole site the domain's MX hosts make up, whatever
     *                 domain the mail is for; false: the domain gets a ready queue of its own, shaped by this block
     */
    public record DomainBlock(String domain, boolean mxRollup, Block block) {
        public DomainBlock {
            domain = domain.toLowerCase(Locale.ROOT);
        }
    }

    /**
     * {@code [tenant."<name>"]}: rates over all of a tenant's mail, and per recipient domain.
     *
     * @param maxMessageRate messages of the tenant, across every queue, source and site
     * @param domains        messages of the tenant to one recipient domain
     */
    public record TenantRates(String tenant, Optional<ThrottleSpec> maxMessageRate, Map<String, ThrottleSpec> domains) {
        public TenantRates {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(maxMessageRate, "maxMessageRate");
            domains = Map.copyOf(domains);
        }
    }

    /** The first provider whose match entries fit the domain or its site's MX hosts. */
    public Optional<Provider> provider(String domain, List<String> mxHosts) {
        return providers.stream().filter(p -> p.matches(domain, mxHosts)).findFirst();
    }

    /** True when the domain has a block with {@code mx_rollup = false}: its own ready queue. */
    public boolean ownSite(String domain) {
        DomainBlock block = domains.get(domain.toLowerCase(Locale.ROOT));
        return block != null && !block.mxRollup();
    }

    /**
     * The blocks that shape mail for {@code domain} leaving through one site, least specific first.
     *
     * @param siteDomain the domain whose rollup block names this site, if one is known
     */
    public List<Block> blocksFor(String domain, Optional<String> siteDomain, List<String> mxHosts) {
        List<Block> blocks = new ArrayList<>(4);
        blocks.add(defaults);
        provider(domain, mxHosts).ifPresent(p -> blocks.add(p.block()));
        String own = domain.toLowerCase(Locale.ROOT);
        DomainBlock ownBlock = domains.get(own);
        Optional<DomainBlock> site = siteDomain.map(domains::get).filter(DomainBlock::mxRollup)
                .or(() -> Optional.ofNullable(ownBlock).filter(DomainBlock::mxRollup));
        site.ifPresent(b -> blocks.add(b.block()));
        if (ownBlock != null && !ownBlock.mxRollup()) {
            blocks.add(ownBlock.block());
        }
        return blocks;
    }

    /** The settings of one path: every block that applies, each followed by its part for the source. */
    public PathSettings settingsFor(String domain, Optional<String> siteDomain, List<String> mxHosts, String source) {
        PathSettings settings = PathSettings.EMPTY;
        for (Block block : blocksFor(domain, siteDomain, mxHosts)) {
            settings = settings.overlay(block.forSource(source));
        }
        return settings;
    }
}
