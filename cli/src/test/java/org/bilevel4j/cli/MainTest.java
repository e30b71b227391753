package org.bilevel4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.Callable;
import org.bilevel4j.cli.report.HeapPages;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The top-level command: version, help, info, and how errors become exit codes and one line. */
class MainTest {

    @Test
    void versionComesFromTheFilteredResource() {
        CliRunner.Run r = CliRunner.run("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("bilevel4j 0.").doesNotContain("${").doesNotContain("unknown");
        assertThat(Version.get()).matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void helpListsTheCommandsAndExitCodes() {
        CliRunner.Run r = CliRunner.run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("demo", "factorize", "info", "help", "Exit codes: 0 success, 2 bad usage");
        // descriptions are format strings: a stray % would print a picocli warning instead
        assertThat(CliRunner.run("demo", "--help").out()).contains("30% nonzero").doesNotContain("%n");
        CliRunner.Run h = CliRunner.run("help", "factorize");
        assertThat(h.code()).isZero();
        assertThat(h.out()).contains("--input=FILE", "--rank=R", "--init-x=FILE", "--weights=RULE", "midpoint",
                "linesearch", "--threads=N", "--quiet", "--debug", "--out=DIR");
    }

    @Test
    void infoNamesVersionJavaBlasAndThreads() {
        CliRunner.Run r = CliRunner.run("info");
        assertThat(r.code()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("bilevel4j   " + Version.get(), "java        17", "blas        ",
                "processors  " + Runtime.getRuntime().availableProcessors(), "common fork-join pool parallelism",
                "data        ", "pages       " + HeapPages.describe());
    }

    @Test
    void noCommandIsBadUsageOnOneLine() {
        CliRunner.Run r = CliRunner.run();
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString()
                .startsWith("bilevel4j: error: missing command").contains("demo", "factorize", "info");
    }

    @Test
    void unknownCommandAndOptionAreBadUsageOnOneLine() {
        for (String[] args : new String[][] {{"frobnicate"}, {"demo", "--frobnicate"}, {"demo", "--seed", "x"}}) {
            CliRunner.Run r = CliRunner.run(args);
            assertThat(r.code()).as("%s", (Object) args).isEqualTo(2);
            assertThat(r.errLines()).as("%s", (Object) args).singleElement().asString()
                    .startsWith("bilevel4j: error: ").contains("--help");
            assertThat(r.out()).isEmpty();
        }
    }

    /** A command that fails the way a bug would. */
    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @Option(names = "--bad-input")
        boolean badInput;

        @Override
        public Integer call() {
            if (badInput) {
                throw new IllegalArgumentException("weight must be nonnegative");
            }
            throw new IllegalStateException("the impossible happened\nsecond line");
        }
    }

    @Test
    void internalFailureIsExitOneOnOneLineWithoutStackTrace() {
        CliRunner.Run r = CliRunner.run(new Boom(), "boom");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.errLines()).singleElement().asString()
                .isEqualTo("bilevel4j: error: internal failure: java.lang.IllegalStateException: the impossible"
                        + " happened second line (run with --debug for the stack trace)");
    }

    @Test
    void debugAddsTheStackTrace() {
        CliRunner.Run r = CliRunner.run(new Boom(), "boom", "--debug");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.errLines().get(0)).startsWith("bilevel4j: error: internal failure:");
        assertThat(r.err()).contains("at org.bilevel4j.cli.MainTest$Boom.call");
        CliRunner.Run top = CliRunner.run(new Boom(), "--debug", "boom");
        assertThat(top.err()).contains("at org.bilevel4j.cli.MainTest$Boom.call");
    }

    @Test
    void illegalArgumentIsBadInput() {
        CliRunner.Run r = CliRunner.run(new Boom(), "boom", "--bad-input");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("bilevel4j: error: weight must be nonnegative");
    }

    @Test
    void oneLineJoinsLines() {
        assertThat(Main.oneLine("a\n  b\r\nc ")).isEqualTo("a b c");
    }
}
