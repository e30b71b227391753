package org.bilevel4j.apps.cleaning;

/**
 * Images read from an IDX file: {@code count} images of {@code rows x cols} unsigned bytes, stored
 * row-major, image after image.
 *
 * @param count the number of images
 * @param rows the image height
 * @param cols the image width
 * @param pixels {@code count * rows * cols} bytes; pixel value is {@code b & 0xFF}
 */
public record IdxImages(int count, int rows, int cols, byte[] pixels) {

    /**
     * Checks the sizes.
     *
     * @param count the number of images
     * @param rows the image height
     * @param cols the image width
     * @param pixels {@code count * rows * cols} bytes, row-major, image after image
     * @throws IllegalArgumentException when {@code pixels.length != count * rows * cols}
     */
    public IdxImages {
        if ((long) count * rows * cols != pixels.length) {
            throw new IllegalArgumentException("pixels has " + pixels.length + " bytes, expected " + count + " x "
                    + rows + " x " + cols);
        }
    }

    /** @return the number of pixels of one image */
    public int pixelsPerImage() {
        return rows * cols;
    }

    /**
     * @param i the image, in [0, count)
     * @param p the pixel within the image, {@code row * cols + col}, in [0, rows * cols)
     * @return the value (0-255) of pixel p of image i, {@code pixels[i * rows * cols + p] & 0xFF}
     */
    public int pixel(int i, int p) {
        return pixels[i * pixelsPerImage() + p] & 0xFF;
    }
}
