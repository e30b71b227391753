package org.bilevel4j.apps.cleaning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link IdxReader}'s header checks value by value: the hint of each kind of bad magic number, empty
 * but valid files, the largest size the reader accepts, claims that a gzip file cannot hold, and a
 * file larger than the reader's buffers.
 */
class IdxReaderHeaderTest {

    @TempDir
    Path dir;

    private static byte[] ints(int... v) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        for (int x : v) {
            out.writeInt(x);
        }
        out.flush();
        return b.toByteArray();
    }

    @Test
    void eachKindOfBadMagicNumberGetsItsOwnHint() throws IOException {
        Path labels = IdxFiles.write(dir, "labels", IdxFiles.labels(3, 10));
        assertThatThrownBy(() -> IdxReader.readImages(labels)).isInstanceOf(IdxFormatException.class)
                .hasMessage(labels + ": bad magic number 0x00000801, expected 0x00000803 for IDX images (an IDX file"
                        + " with 1 dimensions)");
        Path ints = IdxFiles.write(dir, "ints", ints(0x00000C03, 1, 1, 1, 0));
        assertThatThrownBy(() -> IdxReader.readImages(ints))
                .hasMessage(ints + ": bad magic number 0x00000C03, expected 0x00000803 for IDX images (IDX data type"
                        + " 0xc is not unsigned byte)");
        Path signed = IdxFiles.write(dir, "signed", ints(0x00000901, 1, 0));
        assertThatThrownBy(() -> IdxReader.readLabels(signed))
                .hasMessage(signed + ": bad magic number 0x00000901, expected 0x00000801 for IDX labels (IDX data type"
                        + " 0x9 is not unsigned byte)");
        Path other = IdxFiles.write(dir, "other", ints(0x00010801, 1, 0));
        assertThatThrownBy(() -> IdxReader.readLabels(other))
                .hasMessage(other + ": bad magic number 0x00010801, expected 0x00000801 for IDX labels (not an IDX"
                        + " file)");
        Path fourD = IdxFiles.write(dir, "four", ints(0x00000804, 1, 1, 1, 1));
        assertThatThrownBy(() -> IdxReader.readImages(fourD)).hasMessageEndingWith("(an IDX file with 4 dimensions)");
    }

    @Test
    void zeroItemsAreAValidEmptyFile() throws IOException {
        assertThat(IdxReader.readLabels(IdxFiles.write(dir, "l0", ints(IdxReader.LABELS_MAGIC, 0)))).isEmpty();
        IdxImages none = IdxReader.readImages(IdxFiles.write(dir, "i0", ints(IdxReader.IMAGES_MAGIC, 0, 28, 28)));
        assertThat(none.count()).isZero();
        assertThat(none.pixels()).isEmpty();
        assertThatThrownBy(() -> IdxReader.readImages(IdxFiles.write(dir, "e", ints(IdxReader.IMAGES_MAGIC, 2, 0, 5))))
                .hasMessageContaining("image size 0 x 5 is empty");
        assertThatThrownBy(() -> IdxReader.readLabels(IdxFiles.write(dir, "n", ints(IdxReader.LABELS_MAGIC, -1))))
                .hasMessageContaining("negative label count -1 in the header");
    }

    @Test
    void theLargestAcceptedSizeIsCheckedAgainstTheFileAndOneMoreIsRefused() throws IOException {
        // 18046081 x 7 x 17 = 2^31 - 9, the largest size the reader takes: the plain file is then truncated
        Path largest = IdxFiles.write(dir, "largest", ints(IdxReader.IMAGES_MAGIC, 18046081, 7, 17));
        assertThatThrownBy(() -> IdxReader.readImages(largest)).isInstanceOf(IdxFormatException.class)
                .hasMessage(largest + ": truncated: the header announces 18046081 images of 7 x 17 (2147483639 bytes of"
                        + " data) but the file ends after 0");
        // one byte more than that (2^31 - 8 = 2 x 1073741820 x 1)
        Path over = IdxFiles.write(dir, "over", ints(IdxReader.IMAGES_MAGIC, 2, 1073741820, 1));
        assertThatThrownBy(() -> IdxReader.readImages(over)).isInstanceOf(IdxFormatException.class)
                .hasMessage(over + ": header announces 2 images of 1073741820 x 1 = 2147483640 bytes, more than this"
                        + " reader supports");
    }

    @Test
    void aGzipFileCannotClaimMoreThanDeflateCanInflate() throws IOException {
        byte[] img = IdxFiles.gzip(ints(IdxReader.IMAGES_MAGIC, 1_000_000, 28, 28));
        Path p = IdxFiles.write(dir, "claim.gz", img);
        assertThatThrownBy(() -> IdxReader.readImages(p)).isInstanceOf(IdxFormatException.class)
                .hasMessage(p + ": the header announces 1000000 images of 28 x 28 (784000000 bytes of data), more than a "
                        + img.length + "-byte gzip file can hold");
        byte[] lab = IdxFiles.gzip(ints(IdxReader.LABELS_MAGIC, 50_000_000));
        Path q = IdxFiles.write(dir, "claim-labels.gz", lab);
        assertThatThrownBy(() -> IdxReader.readLabels(q)).isInstanceOf(IdxFormatException.class)
                .hasMessage(q + ": the header announces 50000000 labels (50000000 bytes of data), more than a "
                        + lab.length + "-byte gzip file can hold");
    }

    @Test
    void aGzipClaimOfExactlyTheRatioIsReadAndFoundTruncated() throws IOException {
        // find a count whose gzip'd header (no data) is exactly count bytes long: the claim of count x 1032
        // bytes is then exactly 1032 times the file, the most a gzip file can hold
        for (int count = 10; count < 200; count++) {
            byte[] gz = IdxFiles.gzip(ints(IdxReader.IMAGES_MAGIC, count, 1, 1032));
            if (gz.length == count) {
                Path p = IdxFiles.write(dir, "exact.gz", gz);
                assertThatThrownBy(() -> IdxReader.readImages(p)).isInstanceOf(IdxFormatException.class)
                        .hasMessageContaining("truncated").hasMessageNotContaining("can hold");
                return;
            }
        }
        throw new AssertionError("no header length matched its count");
    }

    @Test
    void filesLargerThanTheBuffersReadWhole() throws IOException {
        // 120 images of 28 x 28 = 94080 bytes, more than the 64 KiB buffers
        byte[] raw = IdxFiles.images(120, 28, 28, 7);
        IdxImages plain = IdxReader.readImages(IdxFiles.write(dir, "big", raw));
        IdxImages gz = IdxReader.readImages(IdxFiles.write(dir, "big.gz", IdxFiles.gzip(raw)));
        for (int i = 0; i < 120 * 784; i++) {
            assertThat(plain.pixels()[i]).isEqualTo(raw[16 + i]);
        }
        assertThat(gz.pixels()).isEqualTo(plain.pixels());
        assertThat(plain.pixel(119, 783)).isEqualTo(raw[raw.length - 1] & 0xFF);
        byte[] labels = IdxFiles.labels(70_000, 10);
        int[] l = IdxReader.readLabels(IdxFiles.write(dir, "many.gz", IdxFiles.gzip(labels)));
        assertThat(l).hasSize(70_000);
        assertThat(l[69_999]).isEqualTo(69_999 % 10);
    }

    @Test
    void aBrokenGzipHeaderIsReportedWithTheFileName() throws IOException {
        // the gzip magic bytes, then the file ends inside the gzip header
        Path cut = IdxFiles.write(dir, "cut-header.gz", new byte[] {0x1f, (byte) 0x8b, 8});
        assertThatThrownBy(() -> IdxReader.readImages(cut)).isInstanceOf(IdxFormatException.class)
                .hasMessage(cut + ": truncated gzip header");
        assertThatThrownBy(() -> IdxReader.readLabels(cut)).isInstanceOf(IdxFormatException.class)
                .hasMessage(cut + ": truncated gzip header");
        // the gzip magic bytes with a compression method other than deflate (8)
        Path method = IdxFiles.write(dir, "method.gz", new byte[] {0x1f, (byte) 0x8b, 7, 0, 0, 0, 0, 0, 0, 0, 1, 2});
        assertThatThrownBy(() -> IdxReader.readImages(method)).isInstanceOf(IdxFormatException.class)
                .hasMessageStartingWith(method + ": corrupted gzip data (");
    }
}
