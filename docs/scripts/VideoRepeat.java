import java.io.PrintWriter;
import org.bilevel4j.cli.Main;

/**
 * Runs {@code bilevel4j video --input INPUT --out OUT/runI --quiet} RUNS times in one JVM and prints the wall
 * seconds of each run. The first run is what a user's process meets (classes loaded, every kernel interpreted,
 * then compiled by C1 and C2 while it runs); the later ones run on compiled code. Used by
 * video_cold_vs_warm.sh; compiled there against cli/target/bilevel4j.jar.
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector -cp bilevel4j.jar:DIR VideoRepeat RUNS INPUT OUT}
 */
public final class VideoRepeat {

    private VideoRepeat() {
    }

    public static void main(String[] args) {
        int runs = Integer.parseInt(args[0]);
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        for (int i = 1; i <= runs; i++) {
            long start = System.nanoTime();
            int code = Main.commandLine(out, err).execute("video", "--input", args[1], "--out", args[2] + "/run" + i,
                    "--quiet");
            System.out.printf("run %d: %.2f s (exit %d)%n", i, (System.nanoTime() - start) / 1e9, code);
            if (code != 0) {
                System.exit(code);
            }
        }
    }
}
