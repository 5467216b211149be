//! `orbit next --write` as a transaction: an exclusive lock, then read, edit, check, and
//! replace the manifest whole, so that the file on disk is always either the old manifest or
//! the new one, and concurrent writers each add their own entry.
//!
//! - **The lock** is taken on a sidecar file, `orbit.toml.lock` beside the manifest (beside its
//!   target when the manifest is a symbolic link), created empty on first use and never
//!   removed. Not the manifest itself: the manifest is replaced by a rename, so a writer
//!   waiting on the old file's lock would, once it got it, hold a lock on a file no longer in
//!   place while the next writer locks the new one. Removing the lock file after use would
//!   open the same gap. The lock is advisory (`flock`/`LockFileEx`, by `fs4`) and released by
//!   the operating system when the process ends, even by `kill -9`.
//! - **Everything is computed under the lock**: [`begin`] takes the lock before the manifest
//!   is first read, so the id, the check of the result and the edit all come from the file as
//!   it is while no other `orbit next --write` can change it. N writers at once are served one
//!   after the other: N distinct ids, N entries.
//! - **A change by another program** (an editor saving the file, which takes no lock) between
//!   that read and the replacement is detected: just before the rename the file is read again
//!   and compared byte for byte with what was edited; if it differs, nothing is written and
//!   the verb fails (exit 1) naming the change, so the other program's edit is never silently
//!   overwritten. Refusing, rather than re-applying the edit to the new text, keeps the rule
//!   simple: what was checked is what is written. A save landing in the microseconds between
//!   that comparison and the rename cannot be detected without the editor's cooperation (there
//!   is no portable compare-and-swap rename).
//! - **The replacement**: the new text goes to a temporary file in the manifest's directory
//!   (same file system, so the rename is atomic), which is flushed to disk (`fsync`), given the
//!   manifest's permissions, and renamed over the manifest; the directory is then flushed, so
//!   the rename survives a power loss. On any failure the temporary file is removed and the
//!   manifest is untouched. A writer killed before the rename leaves its temporary file
//!   (`.orbit.toml.XXXXXXXX.tmp`): the next writer, under the lock, removes it.

use std::fs::{File, OpenOptions};
use std::io::{self, ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fs4::fs_std::FileExt;

use crate::common::Fail;

/// How long [`begin`] waits for another writer to release the lock.
const LOCK_WAIT: Duration = Duration::from_secs(60);

/// The suffix of the temporary files; their prefix is `.` and the manifest's file name.
const TMP_SUFFIX: &str = ".tmp";

/// The length of the random part of a temporary file's name.
const TMP_RANDOM: usize = 8;

/// A manifest locked for writing; the lock is released when this is dropped.
#[derive(Debug)]
pub struct Txn {
    /// The manifest's real path (symbolic links resolved): the file the rename replaces.
    target: PathBuf,
    /// The directory holding it.
    dir: PathBuf,
    /// The manifest's file name (of the target).
    name: String,
    /// How the manifest is named in messages.
    shown: String,
    /// The open lock file, locked.
    _lock: File,
}

/// Resolves the manifest's path through symbolic links, and takes the exclusive lock.
pub fn begin(path: &Path, shown: &str) -> Result<Txn, Fail> {
    let target = std::fs::canonicalize(path).map_err(|e| {
        Fail::usage(
            format!("cannot write {shown}: {}", reason(&e)),
            help_for(&e, path.parent().unwrap_or(Path::new(".")), shown),
        )
    })?;
    let (Some(dir), Some(name)) = (target.parent(), target.file_name()) else {
        return Err(Fail::usage(
            format!(
                "cannot write {shown}: it resolves to `{}`, which is not a file in a directory",
                target.display()
            ),
            "name the manifest file with `--manifest PATH`",
        ));
    };
    let dir = dir.to_path_buf();
    let name = name.to_string_lossy().into_owned();
    let lock_path = dir.join(format!("{name}.lock"));
    let lock = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock_path)
        .map_err(|e| {
            Fail::usage(
                format!(
                    "cannot create the lock file `{}` for --write: {}",
                    lock_path.display(),
                    reason(&e)
                ),
                help_for(&e, &dir, shown),
            )
        })?;
    let started = Instant::now();
    loop {
        match lock.try_lock_exclusive() {
            Ok(true) => break,
            Ok(false) => {}
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => {
                return Err(Fail::usage(
                    format!("cannot lock `{}` for --write: {}", lock_path.display(), reason(&e)),
                    "the file system may not support locks (some network file systems do not); copy the manifest to a local disk, or edit it by hand",
                ))
            }
        }
        if started.elapsed() > LOCK_WAIT {
            return Err(Fail::usage(
                format!(
                    "another `orbit next --write` has held the lock on {shown} for more than {} s",
                    LOCK_WAIT.as_secs()
                ),
                format!(
                    "wait for it to finish and run again; if no orbit is running, a process holding `{}` open keeps the lock (`fuser {}` names it)",
                    lock_path.display(),
                    lock_path.display()
                ),
            ));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let txn = Txn {
        target,
        dir,
        name,
        shown: shown.to_string(),
        _lock: lock,
    };
    txn.remove_stale();
    Ok(txn)
}

impl Txn {
    /// Removes temporary files that writers killed before their rename left behind. Only a
    /// holder of the lock creates one, so while we hold it, any there is stale.
    fn remove_stale(&self) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let prefix = format!(".{}.", self.name);
        for entry in entries.flatten() {
            let file_name = entry.file_name();
            let Some(n) = file_name.to_str() else {
                continue;
            };
            let stale = n.len() == prefix.len() + TMP_RANDOM + TMP_SUFFIX.len()
                && n.starts_with(&prefix)
                && n.ends_with(TMP_SUFFIX)
                && entry.file_type().is_ok_and(|t| t.is_file());
            if stale {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }

    /// Replaces the manifest with `new`, provided it still holds `read` (the bytes the edit was
    /// made from); see the module's documentation.
    pub fn commit(&self, read: &[u8], new: &[u8]) -> Result<(), Fail> {
        self.commit_with(read, new, |f, bytes| f.write_all(bytes))
    }

    /// [`Txn::commit`] with the writing of the temporary file's contents given (tests inject
    /// errors there).
    fn commit_with(
        &self,
        read: &[u8],
        new: &[u8],
        write: impl FnOnce(&mut File, &[u8]) -> io::Result<()>,
    ) -> Result<(), Fail> {
        let fail = |what: &str, e: &io::Error| {
            Fail::usage(
                format!(
                    "not written: cannot {what}: {}; {} is untouched",
                    reason(e),
                    self.shown
                ),
                help_for(e, &self.dir, &self.shown),
            )
        };
        let meta = std::fs::metadata(&self.target)
            .map_err(|e| fail(&format!("read the metadata of {}", self.shown), &e))?;
        // A rename needs only the directory's permission: a manifest whose mode forbids
        // writing is refused, as writing it in place would be.
        if let Err(e) = OpenOptions::new().write(true).open(&self.target) {
            return Err(if e.kind() == ErrorKind::PermissionDenied {
                Fail::usage(
                    format!("not written: {} is read-only for you; it is untouched", self.shown),
                    format!(
                        "if it is meant to be edited, make it writable (`chmod u+w {}`) and run again",
                        self.target.display()
                    ),
                )
            } else {
                fail(&format!("open {} for writing", self.shown), &e)
            });
        }
        let mut tmp = tempfile::Builder::new()
            .prefix(&format!(".{}.", self.name))
            .suffix(TMP_SUFFIX)
            .rand_bytes(TMP_RANDOM)
            .tempfile_in(&self.dir)
            .map_err(|e| {
                fail(
                    &format!("create a temporary file in `{}`", self.dir.display()),
                    &e,
                )
            })?;
        // From here on, dropping `tmp` (on any error) removes the temporary file.
        write(tmp.as_file_mut(), new)
            .and_then(|()| tmp.as_file_mut().flush())
            .map_err(|e| fail("write the temporary file", &e))?;
        tmp.as_file()
            .sync_all()
            .map_err(|e| fail("flush the temporary file to disk", &e))?;
        std::fs::set_permissions(tmp.path(), meta.permissions())
            .map_err(|e| fail("give the temporary file the manifest's permissions", &e))?;
        let now = std::fs::read(&self.target)
            .map_err(|e| fail(&format!("read {} again", self.shown), &e))?;
        if now != read {
            return Err(Fail::finding(
                format!(
                    "not written: {} changed while `orbit next --write` was running (another program saved it); the file is as that program left it",
                    self.shown
                ),
                Some("run the command again: it allocates from the file as it is now".into()),
            ));
        }
        tmp.persist(&self.target).map_err(|e| {
            fail(
                &format!("rename the temporary file over {}", self.shown),
                &e.error,
            )
        })?;
        sync_dir(&self.dir).map_err(|e| {
            Fail::usage(
                format!(
                    "{} was replaced, but its directory could not be flushed to disk: {}",
                    self.shown,
                    reason(&e)
                ),
                "the new manifest is in place; run `sync` to be sure it survives a power loss",
            )
        })
    }
}

/// Flushes a directory's entries (the rename) to disk, where the platform can.
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// The operating system's reason, without the `(os error N)` tail for the common cases.
fn reason(e: &io::Error) -> String {
    match e.kind() {
        ErrorKind::NotFound => "no such file or directory".into(),
        ErrorKind::PermissionDenied => "permission denied".into(),
        ErrorKind::StorageFull => "no space left on the device".into(),
        ErrorKind::QuotaExceeded => "disk quota exceeded".into(),
        ErrorKind::ReadOnlyFilesystem => "the file system is read-only".into(),
        _ => e.to_string(),
    }
}

/// The help line for an I/O error met while writing the manifest in `dir`.
fn help_for(e: &io::Error, dir: &Path, shown: &str) -> String {
    let dir = dir.display();
    match e.kind() {
        ErrorKind::StorageFull => format!(
            "free space on the device holding `{dir}` (`df -h {dir}` shows it), then run again"
        ),
        ErrorKind::QuotaExceeded => format!(
            "free space within your disk quota on the device holding `{dir}` (or ask for a larger quota), then run again"
        ),
        ErrorKind::PermissionDenied => format!(
            "--write creates a lock file and a temporary file in `{dir}` and renames the temporary file over {shown}: you need write permission on that directory (`ls -ld {dir}`)"
        ),
        ErrorKind::ReadOnlyFilesystem => format!(
            "`{dir}` is on a read-only file system: edit a copy on a writable one, or remount it read-write"
        ),
        ErrorKind::NotFound => format!(
            "{shown} or its directory was removed or renamed meanwhile; check the path and run again"
        ),
        ErrorKind::FileTooLarge => {
            "the file system refuses a file this large; check the manifest's size".into()
        }
        _ => "the operating system's reason is above; the manifest is untouched: fix the cause and run again".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("orbit.toml");
        std::fs::write(&path, text).expect("the manifest is written");
        (dir, path)
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .expect("the directory lists")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(TMP_SUFFIX))
            .collect()
    }

    #[test]
    fn a_full_disk_leaves_the_manifest_and_no_temporary_file() {
        let (dir, path) = setup("old\n");
        let txn = begin(&path, "orbit.toml").expect("the lock is taken");
        let err = txn
            .commit_with(b"old\n", b"new\n", |f, bytes| {
                f.write_all(&bytes[..2])?;
                Err(io::Error::from(ErrorKind::StorageFull))
            })
            .expect_err("a full disk fails the write");
        assert_eq!(err.code, crate::common::USAGE);
        let message = err.message.unwrap_or_default();
        let help = err.help.unwrap_or_default();
        assert!(message.contains("no space left"), "{message}");
        assert!(message.contains("untouched"), "{message}");
        assert!(help.starts_with("free space on the device"), "{help}");
        assert_eq!(
            std::fs::read_to_string(&path).ok().as_deref(),
            Some("old\n")
        );
        assert_eq!(leftovers(dir.path()), Vec::<String>::new());
    }

    #[test]
    fn a_permission_error_says_permissions() {
        let (_dir, path) = setup("old\n");
        let txn = begin(&path, "orbit.toml").expect("the lock is taken");
        let err = txn
            .commit_with(b"old\n", b"new\n", |_, _| {
                Err(io::Error::from(ErrorKind::PermissionDenied))
            })
            .expect_err("fails");
        let help = err.help.unwrap_or_default();
        assert!(help.contains("write permission"), "{help}");
    }

    #[test]
    fn a_change_by_another_program_is_not_overwritten() {
        let (dir, path) = setup("old\n");
        let txn = begin(&path, "orbit.toml").expect("the lock is taken");
        std::fs::write(&path, "edited\n").expect("the edit is saved");
        let err = txn.commit(b"old\n", b"new\n").expect_err("refused");
        assert_eq!(err.code, crate::common::FINDINGS);
        assert!(err.message.unwrap_or_default().contains("changed"));
        assert_eq!(
            std::fs::read_to_string(&path).ok().as_deref(),
            Some("edited\n")
        );
        assert_eq!(leftovers(dir.path()), Vec::<String>::new());
    }

    #[cfg(unix)]
    #[test]
    fn mode_and_symlink_are_kept() {
        use std::os::unix::fs::PermissionsExt;
        let (dir, path) = setup("old\n");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        let link = dir.path().join("link.toml");
        std::os::unix::fs::symlink(&path, &link).expect("symlink");
        let txn = begin(&link, "link.toml").expect("the lock is taken");
        txn.commit(b"old\n", b"new\n").expect("written");
        assert!(std::fs::symlink_metadata(&link)
            .expect("the link")
            .file_type()
            .is_symlink());
        assert_eq!(
            std::fs::read_to_string(&path).ok().as_deref(),
            Some("new\n")
        );
        let mode = std::fs::metadata(&path).expect("stat").permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
    }

    #[test]
    fn stale_temporary_files_are_removed_under_the_lock() {
        let (dir, path) = setup("old\n");
        let stale = dir.path().join(".orbit.toml.AbCd1234.tmp");
        std::fs::write(&stale, "half").expect("a stale file");
        let other = dir.path().join(".orbit.toml.notours.tmp.keep");
        std::fs::write(&other, "x").expect("another file");
        let _txn = begin(&path, "orbit.toml").expect("the lock is taken");
        assert!(!stale.exists());
        assert!(other.exists());
    }
}
