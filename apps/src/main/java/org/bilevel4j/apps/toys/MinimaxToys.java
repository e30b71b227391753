package org.bilevel4j.apps.toys;

import java.util.List;
import java.util.Locale;

/** The test problems T1 to T5 of the bilevel minimax method page, by name. */
public final class MinimaxToys {

    private MinimaxToys() {
    }

    /** @return the names T1 to T5 */
    public static List<String> names() {
        return List.of("T1", "T2", "T3", "T4", "T5");
    }

    /**
     * @param name T1 to T5 (case-insensitive)
     * @throws IllegalArgumentException for another name
     * @return the toy
     */
    public static MinimaxToy byName(String name) {
        return switch (name.trim().toUpperCase(Locale.ROOT)) {
            case "T1" -> new T1StronglyConvexConcave();
            case "T2" -> new T2Bilinear();
            case "T3" -> new T3ConvexLower();
            case "T4" -> new T4ConstrainedLower();
            case "T5" -> T5Ridge.instance();
            default -> throw new IllegalArgumentException("unknown problem '" + name + "'; expected one of " + names());
        };
    }
}
