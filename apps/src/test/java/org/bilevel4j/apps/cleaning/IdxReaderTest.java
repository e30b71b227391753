package org.bilevel4j.apps.cleaning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsPlainAndGzipImagesAndLabelsAlike() throws IOException {
        byte[] img = IdxFiles.images(7, 3, 4, 5);
        byte[] lab = IdxFiles.labels(7, 10);
        IdxImages plain = IdxReader.readImages(IdxFiles.write(dir, "i", img));
        IdxImages gz = IdxReader.readImages(IdxFiles.write(dir, "i.gz", IdxFiles.gzip(img)));
        assertThat(plain.count()).isEqualTo(7);
        assertThat(plain.rows()).isEqualTo(3);
        assertThat(plain.cols()).isEqualTo(4);
        assertThat(plain.pixels()).isEqualTo(gz.pixels());
        assertThat(plain.pixel(1, 2)).isEqualTo(((12 + 2) * 31 + 5) & 0xFF);
        // gzip is detected by content, not by name
        IdxImages gzNoSuffix = IdxReader.readImages(IdxFiles.write(dir, "plainname", IdxFiles.gzip(img)));
        assertThat(gzNoSuffix.pixels()).isEqualTo(plain.pixels());
        int[] l1 = IdxReader.readLabels(IdxFiles.write(dir, "l", lab));
        int[] l2 = IdxReader.readLabels(IdxFiles.write(dir, "l.gz", IdxFiles.gzip(lab)));
        assertThat(l1).containsExactly(0, 1, 2, 3, 4, 5, 6).isEqualTo(l2);
    }

    @Test
    void badMagicNumberIsOneLineNamingTheFile() throws IOException {
        Path p = IdxFiles.write(dir, "labels-as-images.gz", IdxFiles.gzip(IdxFiles.labels(5, 10)));
        assertThatThrownBy(() -> IdxReader.readImages(p)).isInstanceOf(IdxFormatException.class)
                .hasMessageContaining(p.toString()).hasMessageContaining("bad magic number 0x00000801")
                .hasMessageContaining("expected 0x00000803").message().doesNotContain("\n");
        Path text = IdxFiles.write(dir, "notes.txt", "hello, world, not idx".getBytes());
        assertThatThrownBy(() -> IdxReader.readLabels(text)).hasMessageContaining("not an IDX file");
    }

    @Test
    void truncatedFilesAreReportedPlainOrGzip() throws IOException {
        byte[] img = IdxFiles.images(6, 5, 5, 1);
        Path cut = IdxFiles.write(dir, "cut", Arrays.copyOf(img, img.length - 7));
        assertThatThrownBy(() -> IdxReader.readImages(cut)).isInstanceOf(IdxFormatException.class)
                .hasMessageContaining(cut.toString()).hasMessageContaining("truncated")
                .hasMessageContaining("150 bytes of data").hasMessageContaining("ends after 143");
        byte[] gz = IdxFiles.gzip(img);
        Path cutGz = IdxFiles.write(dir, "cut.gz", Arrays.copyOf(gz, gz.length / 2));
        assertThatThrownBy(() -> IdxReader.readImages(cutGz)).isInstanceOf(IdxFormatException.class)
                .hasMessageContaining(cutGz.toString()).hasMessageContaining("truncated");
        Path header = IdxFiles.write(dir, "header", Arrays.copyOf(img, 6));
        assertThatThrownBy(() -> IdxReader.readImages(header)).hasMessageContaining("truncated header");
        Path empty = IdxFiles.write(dir, "empty", new byte[0]);
        assertThatThrownBy(() -> IdxReader.readLabels(empty)).hasMessageContaining("truncated header");
    }

    @Test
    void corruptedGzipDataAndTrailingBytesAreErrors() throws IOException {
        byte[] gz = IdxFiles.gzip(IdxFiles.images(20, 8, 8, 3));
        byte[] bad = gz.clone();
        for (int i = 20; i < 40; i++) {
            bad[i] ^= 0x5A;
        }
        Path p = IdxFiles.write(dir, "bad.gz", bad);
        assertThatThrownBy(() -> IdxReader.readImages(p)).isInstanceOf(IdxFormatException.class)
                .hasMessageContaining(p.toString());
        byte[] crc = gz.clone();
        crc[crc.length - 6] ^= 0x01; // the CRC-32 of the trailer
        Path q = IdxFiles.write(dir, "crc.gz", crc);
        assertThatThrownBy(() -> IdxReader.readImages(q)).isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("corrupted gzip data");
        byte[] lab = IdxFiles.labels(4, 10);
        byte[] longer = Arrays.copyOf(lab, lab.length + 3);
        Path r = IdxFiles.write(dir, "long", longer);
        assertThatThrownBy(() -> IdxReader.readLabels(r)).hasMessageContaining("3 unexpected bytes after the data");
    }

    @Test
    void negativeSizesAreRejectedBeforeAllocating() throws IOException {
        byte[] img = IdxFiles.images(1, 2, 2, 0);
        img[4] = (byte) 0xFF; // count becomes negative
        Path p = IdxFiles.write(dir, "neg", img);
        assertThatThrownBy(() -> IdxReader.readImages(p)).hasMessageContaining("negative image count");
        byte[] huge = IdxFiles.images(1, 2, 2, 0);
        huge[4] = 0x7F; // count ~ 2^31
        Path h = IdxFiles.write(dir, "huge", huge);
        assertThatThrownBy(() -> IdxReader.readImages(h)).hasMessageContaining("more than this reader supports");
    }
}
