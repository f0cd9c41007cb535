//! Tests of label folders: names, the lock, staging and recovery from an interrupted commit.

#![allow(clippy::expect_used)]

use super::*;

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("dir");
    std::fs::write(path, text).expect("write");
}

#[test]
fn names_are_plain_folder_names() {
    for good in ["baseline", "after-1", "v1.2_b"] {
        assert!(check_name(good).is_ok(), "{good}");
    }
    for bad in ["", ".hidden", "a/b", "../x", "a b", "cache"] {
        assert!(check_name(bad).is_err(), "{bad}");
    }
}

#[test]
fn staging_names_match_only_their_own_label() {
    assert!(is_staging_of(".staging-base-123", ".staging-base-"));
    assert!(is_staging_of(".staging-base-123.old", ".staging-base-"));
    assert!(!is_staging_of(".staging-base-line-123", ".staging-base-"));
    assert!(!is_staging_of(".staging-base-", ".staging-base-"));
}

#[test]
fn a_commit_replaces_staged_entries_and_keeps_the_others() {
    let temp = tempfile::tempdir().expect("temp");
    let perf = temp.path();
    write(&perf.join("x/keep.json"), "other command");
    write(&perf.join("x/report.md"), "old");
    write(&perf.join("x/gone/a.json"), "old gate");
    let staging = Staging::new(perf, "x").expect("staging");
    write(&staging.path().join("report.md"), "new");
    staging.commit(&["gone".to_owned()]).expect("commit");
    assert_eq!(std::fs::read_to_string(perf.join("x/report.md")).expect("read"), "new");
    assert_eq!(std::fs::read_to_string(perf.join("x/keep.json")).expect("read"), "other command");
    assert!(!perf.join("x/gone").exists());
    let hidden: Vec<_> = std::fs::read_dir(perf)
        .expect("list")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".staging"))
        .collect();
    assert!(hidden.is_empty(), "no staging folder left");
}

#[test]
fn a_second_writer_of_one_label_is_refused() {
    let temp = tempfile::tempdir().expect("temp");
    let first = Staging::new(temp.path(), "x").expect("first");
    let second = Staging::new(temp.path(), "x").err().expect("refused");
    assert!(second.to_string().contains("another command is writing label `x`"), "{second}");
    drop(first);
    assert!(Staging::new(temp.path(), "x").is_ok(), "free again once the first is done");
}

#[test]
fn an_interrupted_commit_is_undone_by_the_next_run() {
    let temp = tempfile::tempdir().expect("temp");
    let perf = temp.path();
    // A run died after moving the previous report aside, before moving its own in.
    write(&perf.join(".staging-x-999.old/report.md"), "previous");
    write(&perf.join(".staging-x-999/report.md"), "half-done");
    write(&perf.join("x/other.md"), "untouched");
    let staging = Staging::new(perf, "x").expect("staging");
    assert_eq!(std::fs::read_to_string(perf.join("x/report.md")).expect("restored"), "previous");
    assert!(!perf.join(".staging-x-999").exists() && !perf.join(".staging-x-999.old").exists());
    drop(staging);
}

#[test]
fn committed_files_replace_only_equal_bytes_without_force() {
    let temp = tempfile::tempdir().expect("temp");
    let perf = temp.path();
    write(&perf.join("x/report.md"), "old");
    let files = |text: &str| vec![("report.md", text.as_bytes().to_vec())];
    let same = Staging::new(perf, "x").expect("staging");
    same.commit_files(&files("old"), false, "a report").expect("no loss: same bytes");
    let refused = Staging::new(perf, "x").expect("staging");
    let e = refused.commit_files(&files("new"), false, "a report").expect_err("would change");
    let text = e.to_string();
    assert!(text.contains("already holds a report that this run would change (report.md)"));
    assert!(text.contains("pass --force"), "{text}");
    assert_eq!(std::fs::read_to_string(perf.join("x/report.md")).expect("read"), "old");
    let forced = Staging::new(perf, "x").expect("staging, the refused one cleaned up");
    forced.commit_files(&files("new"), true, "a report").expect("forced");
    assert_eq!(std::fs::read_to_string(perf.join("x/report.md")).expect("read"), "new");
    assert_eq!(differing(&perf.join("x"), &files("new")), Vec::<String>::new());
}
