//! Texts as the protocol sees them: positions in UTF-8 or UTF-16 code units, edits of open
//! documents, and `file:` URIs.

use std::ops::Range;
use std::path::PathBuf;

use lsp_types::{Position, TextDocumentContentChangeEvent};

/// What a position's `character` counts: negotiated in `initialize` (`positionEncoding`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 code units (bytes), when the client offers it.
    Utf8,
    /// UTF-16 code units, the protocol's default.
    Utf16,
}

impl Encoding {
    fn units(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
        }
    }
}

/// The line starts of a text, for converting byte offsets to positions and back.
#[derive(Debug, Clone, Default)]
pub struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    /// Indexes `text`'s lines (a line ends after `\n`).
    pub fn new(text: &str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 32 + 1);
        starts.push(0);
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Lines { starts }
    }

    /// Updates the line starts for `text[range]` replaced by `new` (the text before the
    /// replacement had these starts): the lines before are kept, those after shifted.
    pub fn edit(&mut self, range: Range<usize>, new: &str) {
        let first = self.starts.partition_point(|&s| s <= range.start);
        let after = self.starts.partition_point(|&s| s <= range.end);
        let delta = new.len() as isize - (range.end - range.start) as isize;
        let added = new
            .bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .map(|(i, _)| range.start + i + 1);
        let shifted: Vec<usize> = self.starts[after..]
            .iter()
            .map(|&s| (s as isize + delta) as usize)
            .collect();
        self.starts.truncate(first);
        self.starts.extend(added);
        self.starts.extend(shifted);
    }

    /// The byte offset where 0-based `line` starts (the text's end past the last line).
    pub fn start(&self, line: usize) -> Option<usize> {
        self.starts.get(line).copied()
    }

    /// The 0-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// The byte range of 0-based `line`, without its line end; an empty range at the end of
    /// the text past the last line.
    pub fn line_range(&self, text: &str, line: usize) -> Range<usize> {
        let Some(&start) = self.starts.get(line) else {
            return text.len()..text.len();
        };
        let mut end = self.starts.get(line + 1).map_or(text.len(), |&e| e - 1);
        if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end.max(start)
    }

    /// The position of byte `offset` (clamped to the text, moved back to a character boundary).
    pub fn position(&self, text: &str, offset: usize, enc: Encoding) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let start = self.starts.get(line).copied().unwrap_or(0).min(offset);
        let character = match enc {
            Encoding::Utf8 => offset - start,
            Encoding::Utf16 => text[start..offset].chars().map(char::len_utf16).sum(),
        };
        Position::new(line as u32, character as u32)
    }

    /// The byte offset of a position: a line past the end is the end of the text, a character
    /// past the line's end is the line's end, and one inside a character is its start.
    pub fn offset(&self, text: &str, pos: Position, enc: Encoding) -> usize {
        let line = pos.line as usize;
        if line >= self.starts.len() {
            return text.len();
        }
        let range = self.line_range(text, line);
        let want = pos.character as usize;
        let mut units = 0;
        for (i, c) in text[range.clone()].char_indices() {
            if units >= want {
                return range.start + i;
            }
            units += enc.units(c);
            if units > want {
                return range.start + i;
            }
        }
        range.end
    }

    /// The protocol range of a byte range.
    pub fn range(&self, text: &str, span: &Range<usize>, enc: Encoding) -> lsp_types::Range {
        lsp_types::Range::new(
            self.position(text, span.start, enc),
            self.position(text, span.end.max(span.start), enc),
        )
    }
}

/// Applies one `didChange` event, a whole new text or a replacement of a range, to `text` and
/// its line starts `lines`.
pub fn apply_change(
    text: &mut String,
    lines: &mut Lines,
    change: TextDocumentContentChangeEvent,
    enc: Encoding,
) {
    match change.range {
        None => {
            *text = change.text;
            *lines = Lines::new(text);
        }
        Some(range) => {
            let start = lines.offset(text, range.start, enc);
            let end = lines.offset(text, range.end, enc).max(start);
            text.replace_range(start..end, &change.text);
            lines.edit(start..end, &change.text);
        }
    }
}

/// The local path of a `file:` URI (percent-decoded), or `None` for other schemes.
pub fn uri_to_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    // `file:///path` (empty authority) or `file://localhost/path`.
    let path = if rest.starts_with('/') {
        rest
    } else {
        rest.strip_prefix("localhost")?
    };
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let bytes = percent_decode(path)?;
    let s = String::from_utf8(bytes).ok()?;
    // `file:///C:/x` on Windows.
    #[cfg(windows)]
    let s = s.strip_prefix('/').map(str::to_string).unwrap_or(s);
    Some(PathBuf::from(s))
}

#[cfg(test)]
use std::path::Path;

#[cfg(test)]
/// The `file:` URI of an absolute path, percent-encoding all but unreserved characters and `/`.
pub fn path_to_uri(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file://");
    if !s.starts_with('/') {
        out.push('/');
    }
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'.' | b'_' | b'~' | b':') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_or_utf8_units() {
        // `é` is 2 bytes and 1 UTF-16 unit; `𝄞` is 4 bytes and 2 UTF-16 units.
        let text = "a\ndoc = \"é𝄞\" c8fms03\r\nlast";
        let lines = Lines::new(text);
        let at = text.find("c8fms03").unwrap();
        assert_eq!(
            lines.position(text, at, Encoding::Utf16),
            Position::new(1, 12)
        );
        assert_eq!(
            lines.position(text, at, Encoding::Utf8),
            Position::new(1, 15)
        );
        assert_eq!(
            lines.offset(text, Position::new(1, 12), Encoding::Utf16),
            at
        );
        assert_eq!(lines.offset(text, Position::new(1, 15), Encoding::Utf8), at);
        // Inside a surrogate pair: the character's start. Past the line: its end (before \r).
        let clef = text.find('𝄞').unwrap();
        assert_eq!(
            lines.offset(text, Position::new(1, 9), Encoding::Utf16),
            clef
        );
        let end = text.find('\r').unwrap();
        assert_eq!(
            lines.offset(text, Position::new(1, 99), Encoding::Utf16),
            end
        );
        assert_eq!(
            lines.offset(text, Position::new(9, 0), Encoding::Utf16),
            text.len()
        );
        assert_eq!(
            lines.position(text, text.len() + 5, Encoding::Utf16),
            Position::new(2, 4)
        );
    }

    #[test]
    fn incremental_changes_apply() {
        let mut text = String::from("[microservice.c8fms03]\nname = \"é\"\n");
        let mut lines = Lines::new(&text);
        apply_change(
            &mut text,
            &mut lines,
            TextDocumentContentChangeEvent {
                range: Some(lsp_types::Range::new(
                    Position::new(0, 19),
                    Position::new(0, 21),
                )),
                range_length: None,
                text: "06".into(),
            },
            Encoding::Utf16,
        );
        assert_eq!(text, "[microservice.c8fms06]\nname = \"é\"\n");
        let mut lines = Lines::new(&text);
        apply_change(
            &mut text,
            &mut lines,
            TextDocumentContentChangeEvent {
                range: Some(lsp_types::Range::new(
                    Position::new(1, 9),
                    Position::new(1, 9),
                )),
                range_length: None,
                text: "x".into(),
            },
            Encoding::Utf16,
        );
        assert_eq!(text, "[microservice.c8fms06]\nname = \"éx\"\n");
        // Line starts follow every kind of edit.
        for (range, new) in [(3..3, "a\nb\n"), (0..9, ""), (2..12, "\n"), (0..0, "\n\n")] {
            let range = range.start.min(text.len())..range.end.min(text.len());
            let mut lines = Lines::new(&text);
            text.replace_range(range.clone(), new);
            lines.edit(range, new);
            assert_eq!(lines.starts, Lines::new(&text).starts, "{text:?}");
        }
    }

    #[test]
    fn file_uris_round_trip() {
        let p = Path::new("/work/my project/orbit.toml");
        let uri = path_to_uri(p);
        assert_eq!(uri, "file:///work/my%20project/orbit.toml");
        assert_eq!(uri_to_path(&uri).as_deref(), Some(p));
        assert_eq!(uri_to_path("untitled:1"), None);
        assert_eq!(uri_to_path("file:///a%2"), None);
    }
}
