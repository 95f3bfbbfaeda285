package dev.dossier.node;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * An attacker's gRPC client written on the bare HTTP/2 framing: one connection, one call to {@code path} whose single
 * message announces {@code announced} bytes in its gRPC length prefix, followed by junk bytes for as long as the
 * server's flow-control windows let it send (never beyond them, as a conforming sender), until the server ends the
 * call. The junk is one 16 KiB buffer sent again and again, so the attacker itself holds no large message: what it
 * measures is how much of the announced message the server accepted before refusing it.
 *
 * <p>HPACK is Netty's; everything else (preface, SETTINGS and their ACK, PING answers, WINDOW_UPDATE accounting,
 * HEADERS, DATA, RST_STREAM, GOAWAY) is written and read here.
 */
final class JunkGrpc {
    private static final int DATA = 0;
    private static final int HEADERS = 1;
    private static final int RST_STREAM = 3;
    private static final int SETTINGS = 4;
    private static final int PING = 6;
    private static final int GOAWAY = 7;
    private static final int WINDOW_UPDATE = 8;
    private static final int CONTINUATION = 9;
    private static final int FLAG_END_STREAM = 0x1;
    private static final int FLAG_ACK = 0x1;
    private static final int FLAG_END_HEADERS = 0x4;
    private static final int SETTINGS_INITIAL_WINDOW_SIZE = 0x4;
    private static final int STREAM = 1;
    private static final int FRAME = 16_384;
    private static final byte[] JUNK = junk();

    /**
     * How the call ended.
     *
     * @param grpcStatus the {@code grpc-status} of the server's trailers, or -1 if it sent none
     * @param grpcMessage the {@code grpc-message}, or null
     * @param resetCode the RST_STREAM error code, or -1 if the stream was not reset
     * @param goAway whether the server closed the connection with GOAWAY
     * @param bodyBytesSent bytes of the message (after its 5-byte prefix) the server's windows let through
     */
    record Outcome(int grpcStatus, String grpcMessage, long resetCode, boolean goAway, long bodyBytesSent) {}

    private final Object lock = new Object();
    private long connectionWindow = 65_535;
    private long streamWindow = 65_535;
    private boolean ended;
    private int grpcStatus = -1;
    private String grpcMessage;
    private long resetCode = -1;
    private boolean goAway;

    private JunkGrpc() {}

    /** Sends the junk call and waits (at most {@code timeout}) for the server to end it. */
    static Outcome call(String host, int port, String path, long announced, Duration timeout) throws Exception {
        return new JunkGrpc().run(host, port, path, announced, timeout);
    }

    private Outcome run(String host, int port, String path, long announced, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            Thread reader = new Thread(() -> read(socket, out), "junk-grpc-reader");
            reader.setDaemon(true);
            synchronized (out) {
                out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                frame(out, SETTINGS, 0, 0, new byte[0]);
                frame(out, HEADERS, FLAG_END_HEADERS, STREAM, headers(host + ":" + port, path));
                byte[] prefix = {
                    0, (byte) (announced >>> 24), (byte) (announced >>> 16), (byte) (announced >>> 8), (byte) announced
                };
                frame(out, DATA, 0, STREAM, prefix);
                out.flush();
            }
            synchronized (lock) {
                connectionWindow -= 5;
                streamWindow -= 5;
            }
            reader.start();
            long sent = 0;
            try {
                while (sent < announced) {
                    int chunk;
                    synchronized (lock) {
                        while (!ended && Math.min(connectionWindow, streamWindow) <= 0) {
                            long wait =
                                    Duration.between(Instant.now(), deadline).toMillis();
                            if (wait <= 0) {
                                throw new IllegalStateException("the server neither refused nor read the message");
                            }
                            lock.wait(wait);
                        }
                        if (ended) {
                            break;
                        }
                        chunk = (int)
                                Math.min(Math.min(FRAME, announced - sent), Math.min(connectionWindow, streamWindow));
                        connectionWindow -= chunk;
                        streamWindow -= chunk;
                    }
                    synchronized (out) {
                        frame(out, DATA, 0, STREAM, JUNK, chunk);
                    }
                    sent += chunk;
                }
            } catch (SocketException e) {
                // the server closed the connection: its reason, if any, was read below
            }
            synchronized (lock) {
                while (!ended) {
                    long wait = Duration.between(Instant.now(), deadline).toMillis();
                    if (wait <= 0) {
                        throw new IllegalStateException("the server did not end the call; " + sent + " bytes sent");
                    }
                    lock.wait(wait);
                }
                return new Outcome(grpcStatus, grpcMessage, resetCode, goAway, sent);
            }
        }
    }

    private void read(Socket socket, OutputStream out) {
        DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);
        ByteArrayOutputStream headerBlock = new ByteArrayOutputStream();
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            while (true) {
                int length = (in.readUnsignedByte() << 16) | in.readUnsignedShort();
                int type = in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                int stream = in.readInt() & 0x7fffffff;
                byte[] payload = in.readNBytes(length);
                switch (type) {
                    case SETTINGS -> {
                        if ((flags & FLAG_ACK) == 0) {
                            settings(payload);
                            synchronized (out) {
                                frame(out, SETTINGS, FLAG_ACK, 0, new byte[0]);
                                out.flush();
                            }
                        }
                    }
                    case PING -> {
                        if ((flags & FLAG_ACK) == 0) {
                            synchronized (out) {
                                frame(out, PING, FLAG_ACK, 0, payload);
                                out.flush();
                            }
                        }
                    }
                    case WINDOW_UPDATE -> windowUpdate(stream, payload);
                    case HEADERS, CONTINUATION -> {
                        headerBlock.write(headerBlockOf(type, flags, payload));
                        if ((flags & FLAG_END_HEADERS) != 0) {
                            trailers(decoder.decodeHeaders(stream, Unpooled.wrappedBuffer(headerBlock.toByteArray())));
                            headerBlock.reset();
                        }
                        if ((flags & FLAG_END_STREAM) != 0 && stream == STREAM) {
                            end();
                        }
                    }
                    case RST_STREAM -> {
                        if (stream == STREAM) {
                            synchronized (lock) {
                                resetCode = ((payload[0] & 0xffL) << 24)
                                        | ((payload[1] & 0xff) << 16)
                                        | ((payload[2] & 0xff) << 8)
                                        | (payload[3] & 0xff);
                            }
                            end();
                        }
                    }
                    case GOAWAY -> {
                        synchronized (lock) {
                            goAway = true;
                        }
                        end();
                    }
                    default -> {
                        // DATA from the server, PRIORITY, unknown frames: nothing to do
                    }
                }
            }
        } catch (IOException | Http2Exception | RuntimeException e) {
            end();
        }
    }

    /** The header block fragment of a HEADERS (without padding and priority) or CONTINUATION frame. */
    private static byte[] headerBlockOf(int type, int flags, byte[] payload) {
        if (type == CONTINUATION) {
            return payload;
        }
        int start = 0;
        int end = payload.length;
        if ((flags & 0x8) != 0) {
            start = 1;
            end -= payload[0] & 0xff;
        }
        if ((flags & 0x20) != 0) {
            start += 5;
        }
        byte[] block = new byte[end - start];
        System.arraycopy(payload, start, block, 0, block.length);
        return block;
    }

    private void settings(byte[] payload) {
        for (int i = 0; i + 6 <= payload.length; i += 6) {
            int id = ((payload[i] & 0xff) << 8) | (payload[i + 1] & 0xff);
            long value = ((payload[i + 2] & 0xffL) << 24)
                    | ((payload[i + 3] & 0xff) << 16)
                    | ((payload[i + 4] & 0xff) << 8)
                    | (payload[i + 5] & 0xff);
            if (id == SETTINGS_INITIAL_WINDOW_SIZE) {
                synchronized (lock) {
                    streamWindow += value - 65_535;
                    lock.notifyAll();
                }
            }
        }
    }

    private void windowUpdate(int stream, byte[] payload) {
        long increment = ((payload[0] & 0x7fL) << 24)
                | ((payload[1] & 0xff) << 16)
                | ((payload[2] & 0xff) << 8)
                | (payload[3] & 0xff);
        synchronized (lock) {
            if (stream == 0) {
                connectionWindow += increment;
            } else if (stream == STREAM) {
                streamWindow += increment;
            }
            lock.notifyAll();
        }
    }

    private void trailers(Http2Headers headers) {
        CharSequence status = headers.get("grpc-status");
        if (status == null) {
            return;
        }
        synchronized (lock) {
            grpcStatus = Integer.parseInt(status.toString());
            CharSequence message = headers.get("grpc-message");
            grpcMessage = message == null ? null : message.toString();
        }
    }

    private void end() {
        synchronized (lock) {
            ended = true;
            lock.notifyAll();
        }
    }

    private static byte[] headers(String authority, String path) throws Http2Exception {
        Http2Headers headers = new DefaultHttp2Headers()
                .method("POST")
                .scheme("http")
                .authority(authority)
                .path(path)
                .add("content-type", "application/grpc")
                .add("te", "trailers");
        ByteBuf block = Unpooled.buffer();
        new DefaultHttp2HeadersEncoder().encodeHeaders(STREAM, headers, block);
        byte[] bytes = new byte[block.readableBytes()];
        block.readBytes(bytes);
        return bytes;
    }

    private static void frame(OutputStream out, int type, int flags, int stream, byte[] payload) throws IOException {
        frame(out, type, flags, stream, payload, payload.length);
    }

    private static void frame(OutputStream out, int type, int flags, int stream, byte[] payload, int length)
            throws IOException {
        out.write(new byte[] {
            (byte) (length >>> 16),
            (byte) (length >>> 8),
            (byte) length,
            (byte) type,
            (byte) flags,
            (byte) (stream >>> 24),
            (byte) (stream >>> 16),
            (byte) (stream >>> 8),
            (byte) stream
        });
        out.write(payload, 0, length);
    }

    private static byte[] junk() {
        byte[] junk = new byte[FRAME];
        for (int i = 0; i < junk.length; i++) {
            junk[i] = (byte) (i * 31 + 7);
        }
        return junk;
    }
}
