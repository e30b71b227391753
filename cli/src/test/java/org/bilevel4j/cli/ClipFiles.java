package org.bilevel4j.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bilevel4j.apps.video.Clip;

/** Clip files for command tests; shared with the spark module's tests through this module's test-jar. */
public final class ClipFiles {

    private ClipFiles() {
    }

    /**
     * Writes the clip as a NumPy uint8 array of shape (frames, height, width), the layout of the
     * frames_y8 dumps: pixel values {@code round(255 v)}.
     */
    public static void writeNpy(Clip c, Path file) throws Exception {
        String dict = "{'descr': '|u1', 'fortran_order': False, 'shape': (" + c.frames() + ", " + c.height() + ", "
                + c.width() + "), }";
        StringBuilder h = new StringBuilder(dict);
        while ((10 + h.length() + 1) % 64 != 0) {
            h.append(' ');
        }
        h.append('\n');
        byte[] head = h.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] data = new byte[10 + head.length + c.pixels() * c.frames()];
        data[0] = (byte) 0x93;
        System.arraycopy("NUMPY".getBytes(StandardCharsets.US_ASCII), 0, data, 1, 5);
        data[6] = 1;
        data[8] = (byte) (head.length & 0xFF);
        data[9] = (byte) (head.length >> 8);
        System.arraycopy(head, 0, data, 10, head.length);
        int off = 10 + head.length;
        for (int t = 0; t < c.frames(); t++) {
            for (int p = 0; p < c.pixels(); p++) {
                data[off++] = (byte) Math.round(255 * c.data().get(p, t));
            }
        }
        Files.write(file, data);
    }
}
