package org.bilevel4j.apps.video;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * A folder of frames, one image per file: PNG (and BMP/GIF/JPEG through {@link ImageIO}) or PGM/PNM
 * (netpbm P2 ASCII or P5 binary, read here). Files are taken in natural order of their names
 * ({@code f2.png} before {@code f10.png}); other files are ignored. Gray values: single-band images
 * as stored (scaled by their bit depth), colour images by BT.601 luma
 * {@code 0.299 R + 0.587 G + 0.114 B}. All frames must have the size of the first.
 */
final class ImageFolderFrames implements FrameSource {

    private final Path folder;
    private final List<Path> files;
    private final int height;
    private final int width;

    private ImageFolderFrames(Path folder, List<Path> files, int height, int width) {
        this.folder = folder;
        this.files = files;
        this.height = height;
        this.width = width;
    }

    static ImageFolderFrames open(Path folder) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(folder)) {
            s.filter(Files::isRegularFile).filter(ImageFolderFrames::isFrameFile).forEach(files::add);
        } catch (IOException e) {
            throw new ClipException(folder, "cannot list the folder: " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new ClipException(folder, "empty folder: no PNG or PGM frames");
        }
        files.sort((a, b) -> naturalCompare(a.getFileName().toString(), b.getFileName().toString()));
        Gray first = load(files.get(0));
        return new ImageFolderFrames(folder, files, first.height, first.width);
    }

    static boolean isFrameFile(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".pgm") || n.endsWith(".pnm") || n.endsWith(".bmp")
                || n.endsWith(".gif") || n.endsWith(".jpg") || n.endsWith(".jpeg");
    }

    /** Compares names with digit runs as numbers. */
    static int naturalCompare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int si = i;
                int sj = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) {
                    i++;
                }
                while (j < b.length() && Character.isDigit(b.charAt(j))) {
                    j++;
                }
                String na = a.substring(si, i).replaceFirst("^0+(?=.)", "");
                String nb = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
                int c = na.length() != nb.length() ? Integer.compare(na.length(), nb.length()) : na.compareTo(nb);
                if (c != 0) {
                    return c;
                }
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        int c = Integer.compare(a.length() - i, b.length() - j);
        return c != 0 ? c : a.compareTo(b);
    }

    /** A decoded grayscale frame. */
    private record Gray(int height, int width, double[] values) {
    }

    private static Gray load(Path file) throws IOException {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".pgm") || n.endsWith(".pnm")) {
            return readPgm(file);
        }
        checkDimensions(file);
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new ClipException(file, "not a readable image: " + e.getMessage(), e);
        }
        if (img == null) {
            throw new ClipException(file, "not a readable image");
        }
        int h = img.getHeight();
        int w = img.getWidth();
        double[] v = new double[h * w];
        Raster r = img.getRaster();
        int bands = r.getNumBands();
        if (img.getColorModel() instanceof IndexColorModel) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int rgb = img.getRGB(x, y);
                    v[y * w + x] = luma((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF) / 255.0;
                }
            }
        } else if (bands <= 2) {
            double max = (1 << r.getSampleModel().getSampleSize(0)) - 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    v[y * w + x] = r.getSample(x, y, 0) / max;
                }
            }
        } else {
            double max = (1 << r.getSampleModel().getSampleSize(0)) - 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    v[y * w + x] = luma(r.getSample(x, y, 0), r.getSample(x, y, 1), r.getSample(x, y, 2)) / max;
                }
            }
        }
        return new Gray(h, w, v);
    }

    /**
     * Reads an image's width and height from its header, before it is decoded, and refuses a size
     * whose pixels (decoded image and gray values, about 12 bytes a pixel) do not fit in one Java
     * array or in the free heap.
     */
    private static void checkDimensions(Path file) throws ClipException {
        try (javax.imageio.stream.ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new ClipException(file, "not a readable image");
            }
            java.util.Iterator<javax.imageio.ImageReader> it = ImageIO.getImageReaders(in);
            if (!it.hasNext()) {
                throw new ClipException(file, "not a readable image (no reader for its format)");
            }
            javax.imageio.ImageReader r = it.next();
            try {
                r.setInput(in, true, true);
                checkPixels(file, r.getWidth(0), r.getHeight(0), 12);
            } finally {
                r.dispose();
            }
        } catch (ClipException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ClipException(file, "not a readable image: " + e.getMessage(), e);
        }
    }

    /** Refuses a frame size that does not fit in one Java array or in the free heap. */
    static void checkPixels(Path file, long w, long h, int bytesPerPixel) throws ClipException {
        if (w < 1 || h < 1) {
            throw new ClipException(file, "corrupt image header: " + w + "x" + h);
        }
        if (w * h > Integer.MAX_VALUE - 8) {
            throw new ClipException(file, "the image header claims " + w + "x" + h + " pixels, too many for one frame");
        }
        String heap = org.bilevel4j.apps.io.MemoryBudget.shortfall(bytesPerPixel * w * h, "the " + w + "x" + h
                + " frame");
        if (heap != null) {
            throw new ClipException(file, heap);
        }
    }

    private static double luma(double r, double g, double b) {
        return 0.299 * r + 0.587 * g + 0.114 * b;
    }

    /** Netpbm graymap: P2 (ASCII) or P5 (binary, 1 byte per sample up to maxval 255, else 2 big-endian). */
    static Gray readPgm(Path file) throws IOException {
        byte[] b = ClipReader.readAll(file);
        int[] pos = {0};
        String magic = token(file, b, pos);
        if (!magic.equals("P5") && !magic.equals("P2")) {
            throw new ClipException(file, "not a PGM file (magic '" + magic + "', expected P5 or P2)");
        }
        int w = number(file, b, pos, "width");
        int h = number(file, b, pos, "height");
        int max = number(file, b, pos, "maxval");
        if (w < 1 || h < 1 || max < 1 || max > 65535) {
            throw new ClipException(file, "corrupt PGM header: " + w + "x" + h + ", maxval " + max);
        }
        // the header's claim against the file's length first: each pixel takes at least 1 (P5) or 2 (P2) bytes
        long perPixel = magic.equals("P5") ? (max < 256 ? 1 : 2) : 2;
        long present = Math.max(0, b.length - pos[0] - (magic.equals("P5") ? 1 : 0) + (magic.equals("P5") ? 0 : 1));
        if ((long) w * h * perPixel > present) {
            throw new ClipException(file, "truncated PGM: " + w + "x" + h + " needs " + ((long) w * h * perPixel)
                    + (magic.equals("P5") ? "" : " or more") + " bytes of pixels, " + present + " present");
        }
        checkPixels(file, w, h, 8);
        double[] v = new double[h * w];
        if (magic.equals("P5")) {
            int p = pos[0] + 1; // exactly one whitespace byte after maxval
            int bps = max < 256 ? 1 : 2; // the length of the pixels was checked above (perPixel = bps)
            for (int i = 0; i < w * h; i++) {
                int s = bps == 1 ? b[p + i] & 0xFF : ((b[p + 2 * i] & 0xFF) << 8) | (b[p + 2 * i + 1] & 0xFF);
                v[i] = Math.min(s, max) / (double) max;
            }
        } else {
            for (int i = 0; i < w * h; i++) {
                v[i] = Math.min(number(file, b, pos, "pixel " + i), max) / (double) max;
            }
        }
        return new Gray(h, w, v);
    }

    private static String token(Path file, byte[] b, int[] pos) throws ClipException {
        int p = pos[0];
        while (p < b.length) {
            if (b[p] == '#') {
                while (p < b.length && b[p] != '\n' && b[p] != '\r') {
                    p++;
                }
            } else if (Character.isWhitespace(b[p])) {
                p++;
            } else {
                break;
            }
        }
        int s = p;
        while (p < b.length && !Character.isWhitespace(b[p]) && b[p] != '#') {
            p++;
        }
        if (s == p) {
            throw new ClipException(file, "truncated PGM header");
        }
        pos[0] = p;
        return new String(b, s, p - s, StandardCharsets.US_ASCII);
    }

    private static int number(Path file, byte[] b, int[] pos, String what) throws ClipException {
        String t = token(file, b, pos);
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new ClipException(file, "corrupt PGM: " + what + " is '" + t + "'");
        }
    }

    @Override
    public int frames() {
        return files.size();
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
        Gray g = load(files.get(t));
        if (g.height != height || g.width != width) {
            throw new ClipException(files.get(t), "frames of different sizes: this one is " + g.width + "x" + g.height
                    + ", the first (" + files.get(0).getFileName() + ") is " + width + "x" + height);
        }
        System.arraycopy(g.values, 0, out, 0, out.length);
    }

    @Override
    public String toString() {
        return "frames folder " + folder;
    }
}
