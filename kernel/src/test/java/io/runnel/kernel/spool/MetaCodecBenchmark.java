package io.runnel.kernel.spool;

import io.runnel.kernel.message.MessageMeta;
import io.runnel.kernel.spool.SpoolException.CorruptEntry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: the spool's metadata codec, which every reception (encode) and every read that misses the recent-metadata
 * cache (decode) pays; the metadata has every optional present. Run by hand ({@code bench/jmh}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class MetaCodecBenchmark {
    private final MessageMetaCodec codec = new MessageMetaCodec();
    private MessageMeta meta;
    private byte[] encoded;

    @Setup
    public void setUp() {
        meta = TestMessages.fullMeta(TestMessages.ids().next());
        encoded = codec.encode(meta);
    }

    @Benchmark
    public byte[] encode() {
        return codec.encode(meta);
    }

    @Benchmark
    public MessageMeta decode() throws CorruptEntry {
        return codec.decode(meta.id(), encoded);
    }
}
