//! Manifest text made safe for rustdoc: nothing from the manifest ever becomes a doctest.
//!
//! rustdoc compiles and runs every code block of a doc comment that is not marked as another
//! language: a fenced block (```` ``` ````, ```` ```rust ````, `~~~`) and an indented block (a
//! line indented by four columns after a blank line). The generated docs quote the manifest's
//! `doc` texts and names, so a manifest could make `cargo test --doc` run its code. Here:
//!
//! - [`block`]: a `doc` placed as paragraphs of its own. Every fenced block becomes a
//!   ```` ```text ```` block (rendered as code, never compiled), an indented block becomes a
//!   ```` ```text ```` fence around the same lines, and an unclosed fence is closed at the end
//!   of the text, so it cannot swallow what the generator writes after it. Everything else is
//!   as written, so docs without code render as before.
//! - [`after_text`]: the same for a `doc` that continues a line of generated text.
//! - [`inline`]: a name or other one-line text inside a generated line: line breaks as spaces.
//! - [`cell`]: text in a table cell: [`inline`], and `|` escaped.

use std::borrow::Cow;

/// `text`, placed at the start of a block (after a blank line), with every code block made
/// a ```` ```text ```` block.
pub(super) fn block(text: &str) -> Cow<'_, str> {
    neutralise(text, true)
}

/// `text`, placed after generated text on the same line, with every code block made a
/// ```` ```text ```` block.
pub(super) fn after_text(text: &str) -> Cow<'_, str> {
    neutralise(text, false)
}

/// `text` with line breaks as spaces: it stays on the line it is placed on.
pub(super) fn inline(text: &str) -> Cow<'_, str> {
    // Byte searches, not a `[char]` pattern: the proc macro runs unoptimised, where the
    // pattern's searcher costs calls per character (a tenth of the macro's own work on M, run
    // once per action of every step).
    let b = text.as_bytes();
    if b.contains(&b'\n') || b.contains(&b'\r') {
        Cow::Owned(text.replace("\r\n", " ").replace(['\n', '\r'], " "))
    } else {
        Cow::Borrowed(text)
    }
}

/// `text` as one table cell: on one line, and a `|` does not end the cell.
pub(super) fn cell(text: &str) -> Cow<'_, str> {
    let t = inline(text);
    if t.contains('|') {
        Cow::Owned(t.replace('|', "\\|"))
    } else {
        t
    }
}

/// The columns of a line's leading whitespace (a tab to the next multiple of 4) and its
/// byte length.
fn indentation(line: &str) -> (usize, usize) {
    let mut cols = 0;
    for (i, b) in line.bytes().enumerate() {
        match b {
            b' ' => cols += 1,
            b'\t' => cols += 4 - cols % 4,
            _ => return (cols, i),
        }
    }
    (cols, line.len())
}

/// A fence opening or closing at this line: its character and length, and the info string
/// after it (`rust` in ```` ```rust ````).
fn fence(line: &str) -> Option<(u8, usize, &str)> {
    let (cols, at) = indentation(line);
    if cols > 3 {
        return None;
    }
    let rest = &line[at..];
    let c = *rest.as_bytes().first()?;
    if c != b'`' && c != b'~' {
        return None;
    }
    let n = rest.bytes().take_while(|&b| b == c).count();
    if n < 3 {
        return None;
    }
    let info = &rest[n..];
    // A backtick fence's info string holds no backtick (else it is inline code).
    if c == b'`' && info.contains('`') {
        return None;
    }
    Some((c, n, info))
}

/// `line` without its first four columns of indentation.
fn dedent4(line: &str) -> Cow<'_, str> {
    let mut cols = 0;
    for (i, b) in line.bytes().enumerate() {
        if cols >= 4 {
            return Cow::Borrowed(&line[i..]);
        }
        match b {
            b' ' => cols += 1,
            b'\t' => {
                let next = cols + 4 - cols % 4;
                if next > 4 {
                    // A tab across column 4: the rest of it stays as spaces.
                    let mut s = " ".repeat(next - 4);
                    s.push_str(&line[i + 1..]);
                    return Cow::Owned(s);
                }
                cols = next;
            }
            _ => return Cow::Borrowed(&line[i..]),
        }
    }
    Cow::Borrowed("")
}

fn neutralise(text: &str, at_block_start: bool) -> Cow<'_, str> {
    let risky = text.contains("```")
        || text.contains("~~~")
        || text.contains("    ")
        || text.contains('\t');
    if !risky {
        return Cow::Borrowed(text);
    }
    let mut lines: Vec<Cow<'_, str>> = Vec::new();
    // An open fence: its character and length.
    let mut open: Option<(u8, usize)> = None;
    // In an indented block turned fence; blank lines seen in it, not yet written.
    let mut indented = false;
    let mut blanks: Vec<&str> = Vec::new();
    let mut prev_blank = at_block_start;
    for (i, line) in text.split('\n').enumerate() {
        // The first line of text placed after generated text is not at a line start.
        if i == 0 && !at_block_start {
            lines.push(Cow::Borrowed(line));
            continue;
        }
        let content = line.trim_end_matches('\r');
        if let Some((c, n)) = open {
            if let Some((c2, n2, info)) = fence(content) {
                if c2 == c && n2 >= n && info.trim().is_empty() {
                    open = None;
                }
            }
            lines.push(Cow::Borrowed(line));
            continue;
        }
        let blank = content.trim().is_empty();
        let (cols, at) = indentation(content);
        if indented {
            if blank {
                blanks.push(line);
                continue;
            }
            if cols >= 4 {
                lines.extend(blanks.drain(..).map(dedent4));
                lines.push(dedent4(line));
                continue;
            }
            // The block ends before the blank lines that preceded this line.
            lines.push(Cow::Borrowed("```"));
            prev_blank = !blanks.is_empty();
            lines.extend(blanks.drain(..).map(Cow::Borrowed));
            indented = false;
        }
        if let Some((c, n, _)) = fence(content) {
            let mut l = format!("{}text", &content[..at + n]);
            if content.len() < line.len() {
                l.push('\r');
            }
            lines.push(Cow::Owned(l));
            open = Some((c, n));
            prev_blank = false;
            continue;
        }
        if cols >= 4 && prev_blank && !blank {
            lines.push(Cow::Borrowed("```text"));
            lines.push(dedent4(line));
            indented = true;
            continue;
        }
        lines.push(Cow::Borrowed(line));
        prev_blank = blank;
    }
    if indented {
        lines.push(Cow::Borrowed("```"));
        lines.extend(blanks.drain(..).map(Cow::Borrowed));
    }
    if let Some((c, n)) = open {
        lines.push(Cow::Owned(String::from(c as char).repeat(n)));
    }
    Cow::Owned(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_without_code_is_unchanged() {
        for t in [
            "Plain text.",
            "Two\n\nparagraphs, `inline code` and ``two ticks``.",
            "- a list\n- of items\n   three spaces are not code",
            "Line one\r\nline\ttwo",
        ] {
            assert_eq!(block(t), t);
            assert_eq!(after_text(t), t);
        }
    }

    #[test]
    fn fences_become_text_fences() {
        assert_eq!(
            block("Example:\n\n```rust\npanic!();\n```\n\nAfter."),
            "Example:\n\n```text\npanic!();\n```\n\nAfter."
        );
        assert_eq!(block("```\nx\n```"), "```text\nx\n```");
        assert_eq!(block("~~~~ignore\nx\n~~~~"), "~~~~text\nx\n~~~~");
        // A fence interrupts a paragraph; an unclosed one is closed at the end.
        assert_eq!(
            block("Text\n```\npanic!();"),
            "Text\n```text\npanic!();\n```"
        );
        // A shorter fence inside does not close a longer one.
        assert_eq!(block("````\n```\nx\n````"), "````text\n```\nx\n````");
        // Inline code is not a fence.
        assert_eq!(block("```a` b```"), "```a` b```");
    }

    #[test]
    fn indented_blocks_become_text_fences() {
        assert_eq!(
            block("Run:\n\n    assert!(false);\n\n    more();\n\nDone."),
            "Run:\n\n```text\nassert!(false);\n\nmore();\n```\n\nDone."
        );
        assert_eq!(block("    at the start"), "```text\nat the start\n```");
        assert_eq!(block("\tfn x() {}"), "```text\nfn x() {}\n```");
        // A paragraph's indented continuation line is not code.
        assert_eq!(block("Text\n    continued"), "Text\n    continued");
        // After generated text on the same line, the first line is not at a line start.
        assert_eq!(after_text("    x"), "    x");
        assert_eq!(after_text("x\n\n    y"), "x\n\n```text\ny\n```");
    }

    #[test]
    fn inline_text_stays_on_its_line() {
        assert_eq!(inline("a\r\nb\nc\rd"), "a b c d");
        assert_eq!(cell("a|b\nc"), "a\\|b c");
        assert_eq!(inline("plain"), "plain");
    }
}
