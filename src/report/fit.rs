//! Text that fits a terminal: the comparison table laid out in a given
//! width (less important columns dropped or shortened first, never a
//! wrapped row) and prose wrapped at word boundaries.

/// The table's columns from the most to the least important, by header
/// without its "[95% CI]". When the table is too wide, columns go from
/// the end of this list first; columns not named here go just before
/// [`LAST_TO_STAY`].
const PRIORITY: &[&str] = &[
    "  strategy",
    "strategy",
    "mean reached",
    "% of network",
    "cost",
    "cost per 1,000 reached",
    "cost per 1000 reached",
    "vs best",
    "in target",
    "net reached",
    "mean converted",
    "ROI",
    "wasted",
    "rival reached",
    "seeds",
    "paid reached",
    "earned reached",
    "earned multiplier",
    "impressions",
    "frequency",
    "cost per 1,000 impressions",
    "mean shared",
];

/// The columns dropped first of all, last first.
const LAST_TO_STAY: &[&str] = &["p05-p95", "reached per 1000"];

/// Most characters of a strategy's name and of its seed list.
const NAME_WIDTH: usize = 32;
const SEEDS_WIDTH: usize = 24;

/// The fewest characters of a strategy's name kept when nothing else is
/// left to drop.
const NAME_MIN: usize = 8;

/// The gap between columns.
const GAP: &str = "  ";

/// A table to lay out: its header and rows of cells (the first column is
/// the strategy, left-aligned like the seeds; the others are numbers,
/// right-aligned).
pub struct Grid {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// `grid` laid out in at most `width` characters per line (a header, a
/// rule, one line per row), dropping and shortening columns as it must:
/// first every column up to "seeds" in `PRIORITY` that fits without its
/// confidence interval, most important first; then their intervals, as
/// long as they fit; then the less important columns that fit whole. The
/// strategy's name is shortened when even it alone is too wide.
pub fn table(grid: &Grid, width: usize) -> String {
    let rank = |i: usize| rank_of(&grid.header[i]);
    let mut order: Vec<usize> = (0..grid.header.len()).collect();
    order.sort_by_key(|&i| rank(i));
    let seeds = rank_of("seeds");
    let reached = rank_of("mean reached");
    let mut name_width = NAME_WIDTH;
    let mut columns: Vec<Column> = Vec::new();
    let fits =
        |columns: &[Column], name_width: usize| layout(grid, columns, name_width).total <= width;
    let with = |columns: &[Column], c: Column| {
        let mut more: Vec<Column> = columns
            .iter()
            .copied()
            .filter(|o| o.index != c.index)
            .collect();
        more.push(c);
        more.sort_by_key(|c| c.index);
        more
    };
    for &i in order.iter().filter(|&&i| rank(i) < seeds) {
        let more = with(
            &columns,
            Column {
                index: i,
                compact: true,
            },
        );
        // The strategy's name gives way to the mean reached, never to
        // other columns.
        if rank(i) <= reached {
            while !fits(&more, name_width) && name_width > NAME_MIN {
                name_width -= 1;
            }
        }
        if i == 0 || fits(&more, name_width) {
            columns = more;
        }
    }
    // Column `i` whole (with its interval), if the table still fits.
    let widen = |columns: &mut Vec<Column>, i: usize| {
        let more = with(
            columns,
            Column {
                index: i,
                compact: false,
            },
        );
        if fits(&more, name_width) {
            *columns = more;
        }
    };
    for &i in &order {
        if columns.iter().any(|c| c.index == i) {
            widen(&mut columns, i);
        }
    }
    for &i in order.iter().filter(|&&i| rank(i) >= seeds) {
        widen(&mut columns, i);
    }
    render(grid, &columns, name_width)
}

/// A column shown: its index in the grid and whether its confidence
/// interval is left out.
#[derive(Clone, Copy)]
struct Column {
    index: usize,
    compact: bool,
}

/// The position of a header in [`PRIORITY`], unknown columns after the
/// listed ones and [`LAST_TO_STAY`] after those.
fn rank_of(header: &str) -> usize {
    let base = short_header(header);
    if let Some(p) = PRIORITY.iter().position(|&h| h == base) {
        return p;
    }
    match LAST_TO_STAY.iter().position(|&h| h == base) {
        Some(p) => PRIORITY.len() + 1 + p,
        None => PRIORITY.len(),
    }
}

/// A header without its "[95% CI]".
fn short_header(header: &str) -> &str {
    header.split(" [").next().unwrap_or(header).trim_end()
}

/// A cell without its bracketed interval: "25,744.6 [25,163.9 - 26,325.2]"
/// -> "25,744.6".
fn short_cell(cell: &str) -> &str {
    cell.split(" [").next().unwrap_or(cell)
}

struct Layout {
    widths: Vec<usize>,
    total: usize,
}

fn cell_text(grid: &Grid, row: Option<usize>, c: Column, name_width: usize) -> String {
    let raw = match row {
        Some(r) => grid.rows[r].get(c.index).map_or("", String::as_str),
        None => grid.header[c.index].as_str(),
    };
    let text = if c.compact {
        match row {
            Some(_) => short_cell(raw),
            None => short_header(raw),
        }
    } else {
        raw
    };
    match (c.index, row.is_some(), short_header(&grid.header[c.index])) {
        (0, _, _) => clip(text, name_width),
        (_, true, "seeds") => clip(text, SEEDS_WIDTH),
        _ => text.to_string(),
    }
}

fn layout(grid: &Grid, columns: &[Column], name_width: usize) -> Layout {
    let widths: Vec<usize> = columns
        .iter()
        .map(|&c| {
            (0..grid.rows.len())
                .map(Some)
                .chain([None])
                .map(|r| cell_text(grid, r, c, name_width).chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let total = widths.iter().sum::<usize>() + GAP.len() * widths.len().saturating_sub(1);
    Layout { widths, total }
}

fn render(grid: &Grid, columns: &[Column], name_width: usize) -> String {
    let Layout { widths, .. } = layout(grid, columns, name_width);
    let mut out = String::new();
    let mut line = |cells: Vec<String>| {
        let parts: Vec<String> = cells
            .iter()
            .zip(columns.iter().zip(&widths))
            .map(|(cell, (c, &w))| {
                let words = c.index == 0 || short_header(&grid.header[c.index]) == "seeds";
                if words {
                    format!("{cell:<w$}")
                } else {
                    format!("{cell:>w$}")
                }
            })
            .collect();
        out.push_str(parts.join(GAP).trim_end());
        out.push('\n');
    };
    line(
        columns
            .iter()
            .map(|&c| cell_text(grid, None, c, name_width))
            .collect(),
    );
    line(widths.iter().map(|&w| "-".repeat(w)).collect());
    for r in 0..grid.rows.len() {
        line(
            columns
                .iter()
                .map(|&c| cell_text(grid, Some(r), c, name_width))
                .collect(),
        );
    }
    out
}

/// `text` cut to `max` characters, ending in "..." when cut.
pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let kept: String = text.chars().take(max.saturating_sub(3)).collect();
    format!("{}...", kept.trim_end())
}

/// Every line of `text` wrapped at word boundaries to `width` characters;
/// a line's continuation is indented as its first words are (two more
/// spaces after a "* " bullet). A word longer than a line is cut.
pub fn wrap(text: &str, width: usize) -> String {
    let width = width.max(20);
    let mut out = String::with_capacity(text.len() + text.len() / width.max(1));
    for line in text.split_inclusive('\n') {
        let (body, newline) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        if body.chars().count() <= width {
            out.push_str(line);
            continue;
        }
        let lead = body.len() - body.trim_start().len();
        let mut indent = " ".repeat(lead);
        if body.trim_start().starts_with("* ") {
            indent.push_str("  ");
        }
        // A "label   value" line hangs under its value, its label and gap
        // kept as they are.
        let mut start = lead;
        if let Some(hang) = value_column(body).filter(|&h| h <= width / 2) {
            indent = " ".repeat(hang);
            start = body.char_indices().nth(hang).map_or(body.len(), |(i, _)| i);
        }
        let mut current = body[..start].to_string();
        let mut current_len = current.chars().count();
        let mut fresh = true;
        for word in body[start..].split(' ').filter(|w| !w.is_empty()) {
            let mut word = word.to_string();
            loop {
                let len = word.chars().count();
                let room = if fresh {
                    width - current_len
                } else {
                    width.saturating_sub(current_len + 1)
                };
                if len <= room {
                    if !fresh {
                        current.push(' ');
                        current_len += 1;
                    }
                    current.push_str(&word);
                    current_len += len;
                    fresh = false;
                    break;
                }
                if !fresh {
                    out.push_str(&current);
                    out.push('\n');
                    current = indent.clone();
                    current_len = indent.len();
                    fresh = true;
                    continue;
                }
                // A word longer than a whole line.
                let room = width - current_len;
                let head: String = word.chars().take(room).collect();
                let tail: String = word.chars().skip(room).collect();
                current.push_str(&head);
                out.push_str(&current);
                out.push('\n');
                current = indent.clone();
                current_len = indent.len();
                word = tail;
            }
        }
        out.push_str(&current);
        out.push_str(newline);
    }
    out
}

/// Where the value of a "label   value" line starts (after the first gap
/// of two or more spaces that follows some text), in characters.
fn value_column(line: &str) -> Option<usize> {
    let chars: Vec<char> = line.chars().collect();
    let text = chars.iter().position(|c| *c != ' ')?;
    let gap =
        (text..chars.len().saturating_sub(1)).find(|&i| chars[i] == ' ' && chars[i + 1] == ' ')?;
    (gap..chars.len()).find(|&i| chars[i] != ' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid() -> Grid {
        let header = [
            "strategy",
            "seeds",
            "cost",
            "mean reached [95% CI]",
            "p05-p95",
            "mean shared",
            "reached per 1000",
            "vs best [95% CI]",
        ];
        let row = |name: &str, best: &str| {
            vec![
                name.to_string(),
                "10: 6596, 1260, 6849, 1232, ...".to_string(),
                "10".to_string(),
                "25,744.6 [25,163.9 - 26,325.2]".to_string(),
                "21,147 - 29,912".to_string(),
                "1,095.3".to_string(),
                "2,574,456.0".to_string(),
                best.to_string(),
            ]
        };
        Grid {
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: vec![
                row("top influencers", "best"),
                row(
                    "a strategy with a name far too long to show",
                    "-24,854.8 [-25,615.7 - -24,093.9]",
                ),
            ],
        }
    }

    #[test]
    fn every_line_fits_and_the_least_important_columns_go_first() {
        for width in [40, 60, 80, 100, 160, 300] {
            let text = table(&grid(), width);
            for line in text.lines() {
                assert!(line.chars().count() <= width, "{width}: {line}");
            }
            let header = text.lines().next().unwrap();
            assert!(header.starts_with("strategy"), "{header}");
            assert!(header.contains("mean reached"), "{width}: {header}");
            assert!(
                !header.split_whitespace().any(|w| w == "-"),
                "{width}: {header}"
            );
            if header.contains("mean shared") {
                assert!(header.contains("vs best"), "{width}: {header}");
            }
        }
        let wide = table(&grid(), 300);
        assert!(wide.contains("reached per 1000"));
        assert!(wide.contains("a strategy with a name far to..."));
        assert!(!table(&grid(), 100).contains("reached per 1000"));
    }

    #[test]
    fn prose_wraps_at_words_with_the_bullet_indented() {
        let text = "* top influencers reaches 21,309.4 more people than our ambassadors on average\nshort\n";
        let wrapped = wrap(text, 30);
        for line in wrapped.lines() {
            assert!(line.chars().count() <= 30, "{line}");
        }
        assert!(wrapped.starts_with("* top influencers reaches\n  21,309.4"));
        assert!(wrapped.ends_with("\nshort\n"));
        assert_eq!(
            wrap("a /very/long/path/beyond/the/width/of/it", 20)
                .lines()
                .count(),
            3
        );
        assert_eq!(
            wrap("  spectral  critical stickiness 0.085 = 1 / lambda_max", 34),
            "  spectral  critical stickiness\n            0.085 = 1 / lambda_max"
        );
    }
}
