package org.bilevel4j.apps.video;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An uncompressed AVI: RIFF {@code 'AVI '} with a video stream ({@code strh} type {@code 'vids'})
 * whose format ({@code strf}) is a BITMAPINFOHEADER with {@code biCompression = BI_RGB} (0) and 24 or
 * 32 bits per pixel, frames in the {@code 'movi'} list as {@code '##db'} (or {@code '##dc'}) chunks of
 * the stream's number.
 *
 * <p>Layout, from the RIFF/AVI and DIB specifications: every chunk is a four-character code, a
 * little-endian uint32 size and the data, padded to an even length; a {@code LIST} chunk's data
 * start with its own four-character type. DIB rows are padded to a multiple of 4 bytes, pixels are
 * stored B, G, R (and a fourth byte at 32 bits), and rows run bottom-up when {@code biHeight > 0}
 * (top-down when negative). Gray is the BT.601 luma {@code 0.299 R + 0.587 G + 0.114 B}, exact for
 * clips with R = G = B such as the UCSD traffic clip. A zero-length frame chunk (a dropped frame)
 * repeats the previous frame. Compressed streams (XVID, DIVX, MJPG, ...) are rejected with their
 * four-character code. OpenDML ({@code AVIX}) extensions beyond the first RIFF are not read.
 */
final class AviFrames implements FrameSource {

    private final Path path;
    private final ByteBuffer file;
    private final int height;
    private final int width;
    private final int bytesPerPixel;
    private final boolean bottomUp;
    private final int stride;
    private final List<long[]> chunks;

    private AviFrames(Path path, ByteBuffer file, int height, int width, int bytesPerPixel, boolean bottomUp,
            List<long[]> chunks) {
        this.path = path;
        this.file = file;
        this.height = height;
        this.width = width;
        this.bytesPerPixel = bytesPerPixel;
        this.bottomUp = bottomUp;
        this.stride = ((width * bytesPerPixel) + 3) & ~3;
        this.chunks = chunks;
    }

    private static String fourcc(ByteBuffer b, int pos) {
        StringBuilder sb = new StringBuilder(4);
        for (int i = 0; i < 4; i++) {
            int c = b.get(pos + i) & 0xFF;
            sb.append(c >= 32 && c < 127 ? (char) c : '?');
        }
        return sb.toString();
    }

    static AviFrames open(Path path) throws IOException {
        byte[] bytes = ClipReader.readAll(path);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 12 || !fourcc(b, 0).equals("RIFF") || !fourcc(b, 8).equals("AVI ")) {
            throw new ClipException(path, bytes.length < 12 ? "truncated AVI: " + bytes.length + " bytes"
                    : "not an AVI file (no RIFF 'AVI ' header)");
        }
        long riffEnd = Math.min(8L + (b.getInt(4) & 0xFFFFFFFFL), bytes.length);
        Parser p = new Parser(path, b);
        p.walk(12, riffEnd, 0);
        if (!p.sawVideo) {
            throw new ClipException(path, "no video stream ('vids') in the AVI headers");
        }
        if (p.movi < 0) {
            throw new ClipException(path, "no 'movi' list: the AVI has no frame data (truncated?)");
        }
        if (p.compression != 0 && !p.compressionCode.equals("DIB ") && !p.compressionCode.equals("RGB ")
                && !p.compressionCode.equals("RAW ")) {
            throw new ClipException(path, "the video is compressed (fourcc '" + p.compressionCode
                    + "'); only uncompressed 24/32-bit RGB AVI is read: decode it to a frames .npy or PNG folder");
        }
        if (p.bitCount != 24 && p.bitCount != 32) {
            throw new ClipException(path, "the video has " + p.bitCount
                    + " bits per pixel; only 24- and 32-bit uncompressed RGB is read");
        }
        if (p.width < 1 || p.height == 0) {
            throw new ClipException(path, "corrupt AVI: frame size " + p.width + "x" + p.height);
        }
        if (p.frames.isEmpty()) {
            throw new ClipException(path, "the AVI's 'movi' list has no frames of video stream " + p.videoStream);
        }
        int h = Math.abs(p.height);
        int bpp = p.bitCount / 8;
        ImageFolderFrames.checkPixels(path, p.width, h, 8);
        long need = (((long) p.width * bpp + 3) & ~3L) * h;
        for (long[] c : p.frames) {
            if (c[1] != 0 && c[1] < need) {
                throw new ClipException(path, "frame chunk at byte " + c[0] + " has " + c[1] + " bytes; a " + p.width
                        + "x" + h + " " + p.bitCount + "-bit frame needs " + need);
            }
        }
        if (p.frames.get(0)[1] == 0) {
            throw new ClipException(path, "the first frame chunk is empty");
        }
        return new AviFrames(path, b, h, p.width, bpp, p.height > 0, p.frames);
    }

    /** Walks RIFF chunks, collecting the header fields and the frame chunks. */
    private static final class Parser {
        final Path path;
        final ByteBuffer b;
        int streamIndex = -1;
        int videoStream = -1;
        boolean sawVideo;
        String currentType = "";
        int width;
        int height;
        int bitCount;
        int compression = -1;
        String compressionCode = "";
        long movi = -1;
        final List<long[]> frames = new ArrayList<>();

        Parser(Path path, ByteBuffer b) {
            this.path = path;
            this.b = b;
        }

        void walk(long start, long end, int depth) throws ClipException {
            long pos = start;
            while (pos + 8 <= end) {
                String id = fourcc(b, (int) pos);
                long size = b.getInt((int) pos + 4) & 0xFFFFFFFFL;
                long data = pos + 8;
                if (data + size > end) {
                    throw new ClipException(path, "truncated AVI: chunk '" + id + "' at byte " + pos + " declares "
                            + size + " bytes, only " + (end - data) + " remain");
                }
                if (id.equals("LIST") || id.equals("RIFF")) {
                    if (size < 4) {
                        throw new ClipException(path, "corrupt AVI: LIST at byte " + pos + " has size " + size);
                    }
                    String type = fourcc(b, (int) data);
                    if (type.equals("strl")) {
                        streamIndex++;
                        currentType = "";
                    }
                    if (type.equals("movi")) {
                        movi = data;
                    }
                    if (depth < 8) {
                        walk(data + 4, data + size, depth + 1);
                    }
                } else if (id.equals("strh") && size >= 8) {
                    currentType = fourcc(b, (int) data);
                    if (currentType.equals("vids") && !sawVideo) {
                        sawVideo = true;
                        videoStream = streamIndex;
                    }
                } else if (id.equals("strf") && currentType.equals("vids") && streamIndex == videoStream
                        && compression < 0) {
                    if (size < 20) {
                        throw new ClipException(path, "corrupt AVI: video format chunk of " + size + " bytes");
                    }
                    int d = (int) data;
                    width = b.getInt(d + 4);
                    height = b.getInt(d + 8);
                    bitCount = b.getShort(d + 14) & 0xFFFF;
                    compression = b.getInt(d + 16);
                    compressionCode = compression == 0 ? "BI_RGB" : fourcc(b, d + 16);
                } else if (movi >= 0 && isFrameChunk(id)) {
                    frames.add(new long[] {data, size});
                }
                pos = data + size + (size & 1);
            }
        }

        private boolean isFrameChunk(String id) {
            if (videoStream < 0 || !(id.endsWith("db") || id.endsWith("dc"))) {
                return false;
            }
            char c0 = id.charAt(0);
            char c1 = id.charAt(1);
            if (!Character.isDigit(c0) || !Character.isDigit(c1)) {
                return false;
            }
            return (c0 - '0') * 10 + (c1 - '0') == videoStream;
        }
    }

    @Override
    public int frames() {
        return chunks.size();
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public void read(int t, double[] out) throws IOException {
        int k = t;
        while (k > 0 && chunks.get(k)[1] == 0) {
            k--;
        }
        int base = (int) chunks.get(k)[0];
        for (int y = 0; y < height; y++) {
            int row = bottomUp ? height - 1 - y : y;
            int p = base + row * stride;
            for (int x = 0; x < width; x++) {
                int q = p + x * bytesPerPixel;
                int bl = file.get(q) & 0xFF;
                int g = file.get(q + 1) & 0xFF;
                int r = file.get(q + 2) & 0xFF;
                out[y * width + x] = (0.299 * r + 0.587 * g + 0.114 * bl) / 255.0;
            }
        }
    }

    @Override
    public String toString() {
        return "AVI " + path;
    }
}
