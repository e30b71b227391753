package org.bilevel4j.cli;

/** Placeholder entry point while the CLI is being written. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(0);
    }
}
