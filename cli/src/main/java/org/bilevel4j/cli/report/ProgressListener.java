package org.bilevel4j.cli.report;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.bilevel4j.solver.IterationInfo;
import org.bilevel4j.solver.IterationListener;
import org.bilevel4j.solver.StopReason;

/**
 * A progress bar on stderr (me.tongfei progressbar) as an {@link IterationListener}: the iteration
 * against the limit, and the current values of chosen trace columns.
 *
 * <p>The bar appears only for runs that are expected to take a while: once {@link #DELAY_SECONDS}
 * have passed and the projected run time exceeds {@link #MIN_EXPECTED_SECONDS}. It prints nothing
 * at all with {@code --quiet} or when stderr is not a terminal ({@code System.console() == null}).
 */
public final class ProgressListener implements IterationListener {

    /** Seconds to wait before deciding to show a bar. */
    public static final double DELAY_SECONDS = 0.5;

    /** Runs projected to be shorter than this get no bar. */
    public static final double MIN_EXPECTED_SECONDS = 2.0;

    private final String task;
    private final int maxIterations;
    private final List<String> shown;
    private final PrintStream stream;
    private ProgressBar bar;
    private double lastMessage = -1;

    /**
     * @param task the name shown before the bar
     * @param maxIterations the iteration limit (the bar's 100%)
     * @param shown trace columns whose current values are shown, for example psi1 and psi2
     * @param stream where the bar is drawn
     */
    public ProgressListener(String task, int maxIterations, List<String> shown, PrintStream stream) {
        this.task = task;
        this.maxIterations = maxIterations;
        this.shown = List.copyOf(shown);
        this.stream = stream;
    }

    /**
     * @return a progress bar on stderr, or a listener that prints nothing when {@code quiet} or when
     *     stderr is not a terminal
     */
    public static IterationListener onStderr(boolean quiet, String task, int maxIterations, List<String> shown) {
        if (quiet || System.console() == null) {
            return IterationListener.none();
        }
        return new ProgressListener(task, maxIterations, shown, System.err);
    }

    /** @return whether the bar has been started */
    public boolean started() {
        return bar != null;
    }

    @Override
    public void onIteration(IterationInfo info) {
        int k = info.iteration();
        double t = info.seconds();
        if (bar == null) {
            double projected = t / Math.max(1, k) * maxIterations;
            if (t < DELAY_SECONDS || projected < MIN_EXPECTED_SECONDS || k >= maxIterations) {
                return;
            }
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(maxIterations)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200)
                    .setConsumer(new ConsoleProgressBarConsumer(stream)).build();
        }
        bar.stepTo(k);
        if (t - lastMessage >= 0.1) {
            lastMessage = t;
            bar.setExtraMessage(message(info));
        }
    }

    /** @return the shown columns as {@code name=value} pairs */
    String message(IterationInfo info) {
        StringBuilder sb = new StringBuilder();
        for (String c : shown) {
            if (info.columns().contains(c)) {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(display(c)).append('=').append(String.format(Locale.ROOT, "%.3e", info.get(c)));
            }
        }
        return sb.toString();
    }

    private static String display(String column) {
        return column.startsWith("psi") ? "Psi" + column.substring(3) : column;
    }

    @Override
    public void onFinish(StopReason reason, int iterations, double seconds) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
