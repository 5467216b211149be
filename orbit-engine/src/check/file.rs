//! Reading the manifest file: a regular, readable, UTF-8 file of bounded size, or ORB004.

use super::*;
use crate::rules::{Excerpt, Origin, Rule};

/// ORB004: manifest file not found or unreadable.
pub(crate) const ORB004: Rule = Rule {
    code: Code::Orb004,
    home: module_path!(),
    checks: "Reports a manifest file that cannot be read: the path does not exist (or a part \
             of it before the file name is a file), reading it is not permitted, it is a \
             directory, a FIFO, a socket or a device rather than a regular file, it is a loop \
             of symbolic links, it is larger than 64 MiB, its text is not UTF-8, or the \
             operating system reports another error. The message says which, and the help \
             what to do: name the `orbit.toml` itself, get read access to it, or save it as \
             UTF-8.",
    origin: Origin::Reason(
        "Nothing can be checked or generated without the manifest's text; what is not a \
         manifest (a directory, a FIFO, `/dev/zero`, a huge file) is refused before it is \
         read, so that a wrong path fails at once instead of blocking or filling the memory.",
    ),
    broken: Excerpt::manifest(""),
    fixed: Excerpt::manifest(""),
};

/// The largest manifest [`check_file`] reads: 64 MiB. A manifest at the conventions' far end
/// (10,000 MIDs, 10,000 RIDs, 50,000 PIDs) is 6.5 MB; anything ten times that is not a
/// manifest (`/dev/zero`, a log, a disk image) and is refused before it fills the memory.
pub const MAX_MANIFEST_BYTES: u64 = 64 * 1024 * 1024;

/// Reads and checks a manifest file. An unreadable file is an ORB004 diagnostic, whose
/// message says what is wrong and whose help says what to do: a missing file, a directory,
/// anything that is not a regular file (a FIFO, a socket, a device such as `/dev/zero`), a
/// symbolic link loop, a file above [`MAX_MANIFEST_BYTES`], text that is not UTF-8, and a
/// permission error each have their own.
///
/// The path is checked with `metadata` before it is opened, so a FIFO is refused without
/// being opened (opening one for reading blocks until a writer comes). Between that check and
/// the open, the path could be replaced by a FIFO (a race only a hostile local user can
/// win): the opened handle is checked again, and what is read is bounded either way.
// One diagnostic per file read: its size does not matter, and callers render it like any other.
#[allow(clippy::result_large_err)]
pub fn check_file(path: &Path) -> Result<(String, Checked), Diagnostic> {
    let text = read_file(path)?;
    let checked = check(&text);
    Ok((text, checked))
}

/// Reads a manifest file as [`check_file`] does, without checking it: for callers that check
/// several manifests at once (`orbit diff`). Every failure is the same ORB004 diagnostic.
#[allow(clippy::result_large_err)]
pub fn read_file(path: &Path) -> Result<String, Diagnostic> {
    let bytes = read_manifest(path)?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let mut d = Diagnostic::new(
                Code::Orb004,
                at..at,
                format!(
                    "`{}` is not UTF-8 text (invalid byte at offset {at})",
                    path.display()
                ),
            );
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            LineIndex::new(&text).locate(&mut d);
            Err(d.with_help(
                "save the manifest as UTF-8 (an editor's \"encoding\" setting; `iconv -f LATIN1 -t UTF-8` converts a Latin-1 file)",
            ))
        }
    }
}

/// The bytes of a manifest file, bounded by [`MAX_MANIFEST_BYTES`]; see [`check_file`].
#[allow(clippy::result_large_err)]
fn read_manifest(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(|e| read_error(path, &e))?;
    not_a_manifest(path, &meta)?;
    let file = std::fs::File::open(path).map_err(|e| read_error(path, &e))?;
    let meta = file.metadata().map_err(|e| read_error(path, &e))?;
    not_a_manifest(path, &meta)?;
    let mut bytes = Vec::with_capacity(meta.len().min(MAX_MANIFEST_BYTES) as usize);
    file.take(MAX_MANIFEST_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| read_error(path, &e))?;
    if bytes.len() as u64 > MAX_MANIFEST_BYTES {
        return Err(too_large(path, None));
    }
    Ok(bytes)
}

/// An ORB004 diagnostic at the start of the file (there is no source to point into).
fn unreadable(message: String, help: impl Into<String>) -> Diagnostic {
    let mut d = Diagnostic::new(Code::Orb004, 0..0, message);
    d.line = 1;
    d.column = 1;
    d.with_help(help)
}

/// Refuses what `metadata` says is not a manifest: a directory, a FIFO, a device, a socket,
/// a file above the size limit.
#[allow(clippy::result_large_err)]
fn not_a_manifest(path: &Path, meta: &std::fs::Metadata) -> Result<(), Diagnostic> {
    let shown = path.display();
    if meta.is_dir() {
        return Err(unreadable(
            format!("cannot read manifest `{shown}`: it is a directory"),
            format!(
                "name the manifest file itself, e.g. `{}`",
                path.join("orbit.toml").display()
            ),
        ));
    }
    if !meta.is_file() {
        return Err(unreadable(
            format!(
                "cannot read manifest `{shown}`: it is {}, not a regular file",
                file_kind(meta)
            ),
            "a manifest is a regular file: name the `orbit.toml` itself (to check text that a program writes, save it to a file first)",
        ));
    }
    if meta.len() > MAX_MANIFEST_BYTES {
        return Err(too_large(path, Some(meta.len())));
    }
    Ok(())
}

#[allow(clippy::result_large_err)]
fn too_large(path: &Path, len: Option<u64>) -> Diagnostic {
    let size = match len {
        Some(n) => format!("{n} bytes"),
        None => "still growing past the limit".to_string(),
    };
    unreadable(
        format!(
            "cannot read manifest `{}`: it is {size}, above the limit of {MAX_MANIFEST_BYTES} bytes (64 MiB)",
            path.display()
        ),
        "check that the path names the manifest: one at the conventions' far end (10,000 MIDs, 50,000 PIDs) is 6.5 MB",
    )
}

/// What kind of file `metadata` describes, for a message ("a FIFO (named pipe)").
fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    special_file_kind(meta).unwrap_or("a special file")
}

/// A FIFO, socket or device, as a message names it ("a FIFO (named pipe)"); `None` for any
/// other kind of file. `orbit lint` names the paths it refuses with it too.
pub fn special_file_kind(meta: &std::fs::Metadata) -> Option<&'static str> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if t.is_socket() {
            return Some("a socket");
        }
        if t.is_char_device() {
            return Some("a character device");
        }
        if t.is_block_device() {
            return Some("a block device");
        }
    }
    let _ = meta;
    None
}

/// An ORB004 diagnostic for an I/O error, with a help line for that error.
fn read_error(path: &Path, e: &std::io::Error) -> Diagnostic {
    use std::io::ErrorKind;
    let shown = path.display();
    let message = format!("cannot read manifest `{shown}`: {}", io_reason(e));
    let help = match e.kind() {
        ErrorKind::NotFound => {
            "create it, or name the manifest's path (`orbit check PATH`, `--manifest PATH`, or the macro's path argument)".to_string()
        }
        ErrorKind::PermissionDenied => format!(
            "you may not read it, or a directory on its path: `ls -l {shown}` shows its owner and mode; ask its owner for read access"
        ),
        ErrorKind::IsADirectory => format!(
            "name the manifest file itself, e.g. `{}`",
            path.join("orbit.toml").display()
        ),
        ErrorKind::NotADirectory => {
            "a part of the path before the file name is a file, not a directory: correct the path".to_string()
        }
        ErrorKind::OutOfMemory => {
            "free memory (or check that the path names the manifest, not a huge file) and run again".to_string()
        }
        _ if is_symlink_loop(e) => format!(
            "`{shown}` is a symbolic link that leads back to itself: point it at the real manifest (`ls -l {shown}`)"
        ),
        _ => "the operating system's reason is above; fix it and run again".to_string(),
    };
    unreadable(message, help)
}

/// Whether an I/O error is a symbolic link loop (ELOOP; its `ErrorKind` is not stable).
fn is_symlink_loop(e: &std::io::Error) -> bool {
    let eloop = if cfg!(any(target_os = "linux", target_os = "android")) {
        40
    } else if cfg!(any(
        target_os = "macos",
        target_os = "ios",
        target_os = "freebsd",
        target_os = "openbsd",
        target_os = "netbsd",
        target_os = "dragonfly"
    )) {
        62
    } else {
        return false;
    };
    cfg!(unix) && e.raw_os_error() == Some(eloop)
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ if is_symlink_loop(e) => "a loop of symbolic links".into(),
        _ => e.to_string(),
    }
}

/// Finds `orbit.toml` in `start` or the nearest directory above it.
pub fn find_manifest(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|d| d.join("orbit.toml"))
        .find(|p| p.is_file())
}
