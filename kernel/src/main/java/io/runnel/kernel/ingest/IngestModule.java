package io.runnel.kernel.ingest;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import io.runnel.kernel.boot.Service;
import io.runnel.kernel.report.ReportReception;

/** Reception: from a listener's complete message to a spooled one, or to records when it is a bounce or complaint. */
public final class IngestModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(Reception.class).in(Singleton.class);
        bind(ReportReception.class).in(Singleton.class);
        Multibinder.newSetBinder(binder(), Service.class).addBinding().to(ReportReception.class);
    }
}
