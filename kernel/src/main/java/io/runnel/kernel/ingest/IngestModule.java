package io.runnel.kernel.ingest;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;

/** Reception: from a listener's complete message to a spooled one. */
public final class IngestModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(Reception.class).in(Singleton.class);
    }
}
