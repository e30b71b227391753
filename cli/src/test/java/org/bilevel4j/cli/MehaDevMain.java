package org.bilevel4j.cli;

import java.util.Arrays;
import picocli.CommandLine;

/**
 * Runs the MEHA commands before {@link Main} registers them:
 * {@code meha ...}, {@code clean ...}, {@code bench-meha ...} (the future {@code bench meha}).
 */
public final class MehaDevMain {

    private MehaDevMain() {
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        if (args.length == 0) {
            System.err.println("usage: MehaDevMain meha|clean|bench-meha ARGS...");
            System.exit(2);
        }
        Object cmd = switch (args[0]) {
            case "meha" -> new MehaCommand();
            case "clean" -> new CleanCommand();
            case "bench-meha" -> new BenchMehaCommand();
            default -> null;
        };
        if (cmd == null) {
            System.err.println("unknown command " + args[0]);
            System.exit(2);
        }
        System.exit(new CommandLine(cmd).execute(Arrays.copyOfRange(args, 1, args.length)));
    }
}
