package org.bilevel4j.apps.market;

import java.nio.file.Path;
import java.util.List;

/**
 * The parts of a MATPOWER case (format version 2) that a copper-plate market needs: the rows of
 * {@code mpc.bus}, {@code mpc.gen} and {@code mpc.gencost} as read, and the line of each row in the
 * file (for messages).
 *
 * @param file the file read
 * @param bus the bus rows (at least 3 columns: bus number, type, Pd)
 * @param gen the generator rows (at least 10 columns: bus, Pg, Qg, Qmax, Qmin, Vg, mBase, status,
 *     Pmax, Pmin)
 * @param gencost the cost rows, one per generator, in generator order
 * @param genLines the file line of each generator row (1-based)
 * @param gencostLines the file line of each gencost row (1-based)
 */
public record MatpowerCase(Path file, List<double[]> bus, List<double[]> gen, List<double[]> gencost,
        List<Integer> genLines, List<Integer> gencostLines) {

    /**
     * Copies the lists.
     *
     * @param file the file read
     * @param bus the bus rows (at least 3 columns: bus number, type, Pd)
     * @param gen the generator rows (at least 10 columns: bus, Pg, Qg, Qmax, Qmin, Vg, mBase, status, Pmax, Pmin)
     * @param gencost the cost rows, one per generator, in generator order
     * @param genLines the file line of each generator row (1-based)
     * @param gencostLines the file line of each gencost row (1-based)
     */
    public MatpowerCase {
        bus = List.copyOf(bus);
        gen = List.copyOf(gen);
        gencost = List.copyOf(gencost);
        genLines = List.copyOf(genLines);
        gencostLines = List.copyOf(gencostLines);
    }
}
