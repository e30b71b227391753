package org.bilevel4j.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTest {

    @Test
    void quotesOnlyWhatNeedsIt() {
        assertThat(Csv.field("BINNO(midpoint)")).isEqualTo("BINNO(midpoint)");
        assertThat(Csv.field("BINNO(midpoint, on Spark)")).isEqualTo("\"BINNO(midpoint, on Spark)\"");
        assertThat(Csv.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(Csv.field("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(Csv.field("")).isEmpty();
        assertThat(Csv.field(null)).isEmpty();
    }

    /** Splits one RFC 4180 record (no line breaks inside fields) the way a reader must. */
    private static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    f.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    f.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(f.toString());
                f.setLength(0);
            } else {
                f.append(c);
            }
        }
        out.add(f.toString());
        return out;
    }

    @Test
    void fieldsReadBackUnchanged() {
        List<String> fields = List.of("a", "b,c", "\"q\"", "", "x\"y,z", "1.5e-3");
        String line = String.join(",", fields.stream().map(Csv::field).toList());
        assertThat(split(line)).containsExactlyElementsOf(fields);
    }
}
