//! Writing files so that a reader never sees half of one: every file is written to a temporary
//! name in its own folder and renamed into place, which is atomic on one file system.

use std::io::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;

/// Writes `bytes` to `path` atomically: a temporary file beside it, flushed, then renamed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut builder = tempfile::Builder::new();
    // Temporary files are private (0600) by default; a result is an ordinary file, readable as
    // any file the user writes would be (the umask still applies).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let mut temp = builder
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    temp.write_all(bytes).with_context(|| format!("cannot write {}", path.display()))?;
    temp.as_file().sync_all().with_context(|| format!("cannot flush {}", path.display()))?;
    temp.persist(path)
        .with_context(|| format!("cannot move the new {} into place", path.display()))?;
    Ok(())
}

/// Writes `value` as pretty JSON (with a final newline) to `path`, atomically.
pub fn write_json(path: &Path, value: &impl Serialize) -> Result<()> {
    write_atomic(path, &json_bytes(value)?)
}

/// `value` as the bytes [`write_json`] writes: pretty JSON with a final newline.
pub fn json_bytes(value: &impl Serialize) -> Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(value)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Reads and parses the JSON file at `path`.
pub fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_slice(&bytes).with_context(|| format!("cannot parse {}", path.display()))
}

/// Replaces what lies between the lines `<!-- NAME:start -->` and `<!-- NAME:end -->` of the
/// Markdown file at `path` with `content`, atomically; the marker lines stay. A file without
/// both markers, in that order, is an error naming the missing marker, so that a generated
/// section is never appended somewhere a reader does not expect it.
pub fn replace_section(path: &Path, name: &str, content: &str) -> Result<()> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let updated = with_section(&text, name, content)
        .with_context(|| format!("cannot update the `{name}` section of {}", path.display()))?;
    if updated != text {
        write_atomic(path, updated.as_bytes())?;
    }
    Ok(())
}

/// `text` with the section `name` replaced by `content` (see [`replace_section`]).
pub fn with_section(text: &str, name: &str, content: &str) -> Result<String> {
    let start = format!("<!-- {name}:start -->\n");
    let end = format!("<!-- {name}:end -->");
    let from =
        text.find(&start).with_context(|| format!("no line `{}`", start.trim_end()))? + start.len();
    let to =
        text[from..].find(&end).with_context(|| format!("no line `{end}` after the start"))? + from;
    let mut body = content.trim_end_matches('\n').to_owned();
    body.push('\n');
    Ok(format!("{}{body}{}", &text[..from], &text[to..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_is_replaced_between_its_markers_only() {
        let text = "intro\n<!-- t:start -->\nold\nlines\n<!-- t:end -->\noutro\n";
        let out = with_section(text, "t", "new\n\n").unwrap();
        assert_eq!(out, "intro\n<!-- t:start -->\nnew\n<!-- t:end -->\noutro\n");
        assert_eq!(with_section(&out, "t", "new").unwrap(), out, "replacing is idempotent");
    }

    #[cfg(unix)]
    #[test]
    fn an_atomic_write_has_the_permissions_of_an_ordinary_one() {
        use std::os::unix::fs::PermissionsExt as _;
        let temp = tempfile::tempdir().unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        std::fs::write(temp.path().join("plain"), "x").unwrap();
        write_atomic(&temp.path().join("atomic"), b"x").unwrap();
        assert_eq!(mode(&temp.path().join("atomic")), mode(&temp.path().join("plain")));
    }

    #[test]
    fn missing_or_misordered_markers_are_errors() {
        assert!(with_section("no markers\n", "t", "x").is_err());
        let reversed = "<!-- t:end -->\n<!-- t:start -->\n";
        let e = with_section(reversed, "t", "x").unwrap_err().to_string();
        assert!(e.contains("after the start"), "{e}");
        assert!(with_section("<!-- other:start -->\n<!-- other:end -->", "t", "x").is_err());
    }
}
