package io.runnel.kernel.smtp.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.runnel.kernel.config.ListenerConfig.BareLineEndings;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Cuts the inbound byte stream into what the session handler consumes: command lines, then DATA content (dot
 * unstuffed, ending only at CRLF.CRLF) or BDAT chunks (byte-exact). Which of the three comes next is decided by the
 * session handler, which switches the mode synchronously while handling the preceding item, so pipelined input is
 * always cut the right way.
 *
 * <p>It emits {@link CommandLine}, content {@link ByteBuf}s (ownership passes on), {@link DataEnd} and
 * {@link ChunkEnd}. While {@linkplain #pause() paused} it decodes nothing, so a client's pipelined commands wait until
 * the reply they depend on is known.
 */
final class SmtpFramer extends ByteToMessageDecoder {

    private enum Mode { COMMAND, DATA, CHUNK }

    /** Where the DATA scanner stands. WEAK states follow a normalised bare line ending: they never end the data. */
    private enum DataState { LINE_START, LINE_START_WEAK, MID, CR, DOT, DOT_WEAK, DOT_CR, DOT_CR_WEAK }

    private final int maxCommandLine;
    private final BareLineEndings bareLineEndings;
    private ChannelHandlerContext ctx;
    private Mode mode = Mode.COMMAND;
    private boolean paused;
    private boolean discardingLongLine;
    private DataState dataState;
    private boolean bareLineEndingSeen;
    private long chunkRemaining;

    SmtpFramer(int maxCommandLine, BareLineEndings bareLineEndings) {
        this.maxCommandLine = maxCommandLine;
        this.bareLineEndings = bareLineEndings;
    }

    /** A command line without its line ending. {@code tooLong} lines were discarded, {@code bareLf} ended in LF only. */
    record CommandLine(String text, boolean tooLong, boolean bareLf) {
    }

    /** The end of DATA content; {@code bareLineEnding} when a bare CR or LF was seen (and not normalised). */
    record DataEnd(boolean bareLineEnding) {
    }

    /** The end of one BDAT chunk. */
    record ChunkEnd() {
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Next input is DATA content, up to CRLF.CRLF. */
    void expectData() {
        mode = Mode.DATA;
        dataState = DataState.LINE_START;
        bareLineEndingSeen = false;
    }

    /** Next {@code size} octets (size > 0) are a BDAT chunk. */
    void expectChunk(long size) {
        if (size <= 0) {
            throw new IllegalArgumentException("chunk size must be positive");
        }
        mode = Mode.CHUNK;
        chunkRemaining = size;
    }

    /** Stops decoding (and reading) until {@link #resume()}. */
    void pause() {
        paused = true;
        ctx.channel().config().setAutoRead(false);
    }

    /** Decodes whatever was buffered while paused, then reads again. Call on the event loop. */
    void resume() {
        paused = false;
        ctx.channel().config().setAutoRead(true);
        if (internalBuffer().isReadable()) {
            try {
                channelRead(ctx, Unpooled.EMPTY_BUFFER); // decodes what is buffered, as if it had just arrived
            } catch (Exception e) {
                ctx.fireExceptionCaught(e);
            }
            ctx.fireChannelReadComplete();
        }
    }

    /** Drops input already received but not yet decoded: what a client pipelined after STARTTLS. */
    int discardBuffered() {
        ByteBuf buffered = internalBuffer();
        int dropped = buffered.readableBytes();
        buffered.skipBytes(dropped);
        return dropped;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (paused) {
            return;
        }
        switch (mode) {
            case COMMAND -> decodeCommand(in, out);
            case DATA -> decodeData(in, out);
            case CHUNK -> decodeChunk(in, out);
            default -> throw new IllegalStateException("unhandled mode " + mode);
        }
    }

    private void decodeCommand(ByteBuf in, List<Object> out) {
        int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
        if (discardingLongLine) {
            if (lf < 0) {
                in.skipBytes(in.readableBytes());
            } else {
                in.readerIndex(lf + 1);
                discardingLongLine = false;
                out.add(new CommandLine("", true, false));
            }
            return;
        }
        if (lf < 0) {
            if (in.readableBytes() >= maxCommandLine) {
                in.skipBytes(in.readableBytes());
                discardingLongLine = true;
            }
            return;
        }
        int length = lf - in.readerIndex() + 1;
        if (length > maxCommandLine) {
            in.readerIndex(lf + 1);
            out.add(new CommandLine("", true, false));
            return;
        }
        boolean crlf = length >= 2 && in.getByte(lf - 1) == '\r';
        int textLength = length - (crlf ? 2 : 1);
        String text = in.toString(in.readerIndex(), textLength, StandardCharsets.UTF_8);
        in.readerIndex(lf + 1);
        out.add(new CommandLine(text, false, !crlf));
    }

    private void decodeChunk(ByteBuf in, List<Object> out) {
        int take = (int) Math.min(chunkRemaining, in.readableBytes());
        if (take > 0) {
            out.add(in.readRetainedSlice(take));
            chunkRemaining -= take;
        }
        if (chunkRemaining == 0) {
            mode = Mode.COMMAND;
            out.add(new ChunkEnd());
        }
    }

    private void decodeData(ByteBuf in, List<Object> out) {
        int i = in.readerIndex();
        int end = in.writerIndex();
        int runStart = i;
        while (i < end) {
            byte b = in.getByte(i);
            switch (dataState) {
                case LINE_START, LINE_START_WEAK -> {
                    if (b == '.') {
                        emit(in, runStart, i, out); // the dot is dropped: stuffing, or the start of the terminator
                        i++;
                        runStart = i;
                        dataState = dataState == DataState.LINE_START ? DataState.DOT : DataState.DOT_WEAK;
                    } else {
                        dataState = DataState.MID;
                    }
                }
                case DOT, DOT_WEAK -> {
                    if (b == '\r') {
                        i++;
                        dataState = dataState == DataState.DOT ? DataState.DOT_CR : DataState.DOT_CR_WEAK;
                    } else {
                        dataState = DataState.MID;
                    }
                }
                case MID -> {
                    int next = LineEndings.next(in, i, end);
                    if (next < 0) {
                        i = end;
                    } else if (in.getByte(next) == '\r') {
                        i = next + 1;
                        dataState = DataState.CR;
                    } else {
                        i = next;
                        runStart = bareLf(in, runStart, i, out);
                        i++;
                    }
                }
                case CR, DOT_CR_WEAK -> {
                    if (b == '\n') {
                        i++;
                        dataState = DataState.LINE_START;
                    } else {
                        runStart = bareCr(in, runStart, i, out);
                    }
                }
                case DOT_CR -> {
                    if (b == '\n') {
                        emit(in, runStart, i - 1, out); // CRLF.CRLF: the last CRLF and the dot are not content
                        in.readerIndex(i + 1);
                        mode = Mode.COMMAND;
                        out.add(new DataEnd(bareLineEndingSeen));
                        return;
                    }
                    runStart = bareCr(in, runStart, i, out);
                }
                default -> throw new IllegalStateException("unhandled state " + dataState);
            }
        }
        // A CR at the very end may start the terminator's CRLF: keep it buffered until the next byte decides.
        if (dataState == DataState.CR || dataState == DataState.DOT_CR || dataState == DataState.DOT_CR_WEAK) {
            i--;
            dataState = switch (dataState) {
                case CR -> DataState.MID;
                case DOT_CR -> DataState.DOT;
                default -> DataState.DOT_WEAK;
            };
        }
        emit(in, runStart, i, out);
        in.readerIndex(i);
    }

    /** A LF at {@code at} without a CR before it. Returns where the next content run starts. */
    private int bareLf(ByteBuf in, int runStart, int at, List<Object> out) {
        if (bareLineEndings == BareLineEndings.REJECT) {
            bareLineEndingSeen = true;
            return runStart;
        }
        emit(in, runStart, at, out);
        out.add(ctx.alloc().buffer(1).writeByte('\r'));
        dataState = DataState.LINE_START_WEAK;
        return at; // the LF itself starts the next run
    }

    /** A CR before {@code at} that is not followed by LF. Returns where the next content run starts. */
    private int bareCr(ByteBuf in, int runStart, int at, List<Object> out) {
        if (bareLineEndings == BareLineEndings.REJECT) {
            bareLineEndingSeen = true;
            dataState = DataState.MID;
            return runStart;
        }
        emit(in, runStart, at, out);
        out.add(ctx.alloc().buffer(1).writeByte('\n'));
        dataState = DataState.LINE_START_WEAK;
        return at;
    }

    private static void emit(ByteBuf in, int from, int to, List<Object> out) {
        if (to > from) {
            out.add(in.retainedSlice(from, to - from));
        }
    }
}
