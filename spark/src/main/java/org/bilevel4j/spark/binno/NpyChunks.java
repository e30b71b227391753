package org.bilevel4j.spark.binno;

import java.io.DataInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.input.PortableDataStream;
import org.apache.spark.storage.StorageLevel;
import org.bilevel4j.apps.io.MatrixIO;
import org.ejml.data.DMatrixRMaj;
import scala.Tuple2;

/**
 * Reads a data matrix stored as row blocks, one NumPy {@code .npy} file a block, in parallel on the
 * executors (through Spark's {@code binaryFiles}, so any Hadoop file system works: a shared folder,
 * HDFS, S3).
 *
 * <p>Format: a folder whose {@code .npy} files (other files are ignored) are the consecutive row
 * blocks of M in the order of their names (for example {@code rows-00000.npy}, {@code rows-00001.npy},
 * ...); each is a 2-D array with the same number of columns n (C or Fortran order, any dtype that
 * {@link MatrixIO} reads: {@code f8}, {@code f4}, {@code u1}, ...). For a video, the rows are pixels
 * and the columns frames: block k holds the pixels of a horizontal band of every frame. Each file
 * becomes one partition; the blocks are read once, moved to their partitions once, and cached.
 */
public final class NpyChunks {

    private NpyChunks() {
    }

    /**
     * @param folder the folder (a Hadoop path or URI; a local path works in local mode)
     * @return M as row blocks, one block a partition, in name order, cached
     * @throws IllegalArgumentException if the folder holds no .npy file, or the files disagree on n
     */
    public static JavaRDD<RowBlock> read(JavaSparkContext sc, String folder) {
        String glob = folder.endsWith("/") ? folder + "*.npy" : folder + "/*.npy";
        JavaPairRDD<String, PortableDataStream> files;
        try {
            files = sc.binaryFiles(glob);
        } catch (Exception e) {
            throw new IllegalArgumentException(folder + ": cannot list the .npy files (" + e.getMessage() + ")", e);
        }
        JavaPairRDD<String, DMatrixRMaj> read = files.mapToPair(f -> {
            try (DataInputStream in = f._2().open()) {
                return new Tuple2<>(f._1(), MatrixIO.readNpy(Path.of(fileName(f._1())), in));
            }
        });
        read.persist(StorageLevel.MEMORY_ONLY());
        List<Tuple2<String, int[]>> shapes;
        try {
            shapes = new ArrayList<>(read.mapToPair(t -> new Tuple2<>(t._1(),
                    new int[] {t._2().numRows, t._2().numCols})).collect());
        } catch (Exception e) { // Hadoop's IOExceptions arrive undeclared through Scala
            read.unpersist(false);
            Throwable c = e;
            while (c.getCause() != null && !(c instanceof java.io.IOException)) {
                c = c.getCause();
            }
            throw new IllegalArgumentException(folder + ": " + (c.getMessage() == null ? e.getMessage()
                    : c.getMessage()), e);
        }
        if (shapes.isEmpty()) {
            read.unpersist(false);
            throw new IllegalArgumentException(folder + ": no .npy files");
        }
        shapes.sort(Comparator.comparing(t -> fileName(t._1())));
        List<String> order = new ArrayList<>();
        int[] offsets = new int[shapes.size()];
        int rows = 0;
        int cols = shapes.get(0)._2()[1];
        for (int i = 0; i < shapes.size(); i++) {
            int[] sh = shapes.get(i)._2();
            if (sh[1] != cols) {
                read.unpersist(false);
                throw new IllegalArgumentException(fileName(shapes.get(i)._1()) + ": " + sh[1] + " columns, "
                        + fileName(shapes.get(0)._1()) + " has " + cols);
            }
            order.add(shapes.get(i)._1());
            offsets[i] = rows;
            rows += sh[0];
        }
        Broadcast<List<String>> names = sc.broadcast(order);
        Broadcast<int[]> offs = sc.broadcast(offsets);
        int count = offsets.length;
        JavaRDD<RowBlock> blocks = read.mapToPair(t -> {
            int k = names.value().indexOf(t._1());
            return new Tuple2<>(k, new RowBlock(offs.value()[k], t._2()));
        }).partitionBy(new HashPartitioner(count)).values();
        blocks.persist(StorageLevel.MEMORY_ONLY());
        blocks.count();
        read.unpersist(false);
        return blocks;
    }

    private static String fileName(String uri) {
        int slash = uri.lastIndexOf('/');
        return slash < 0 ? uri : uri.substring(slash + 1);
    }
}
