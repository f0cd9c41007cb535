//! Where a result came from: the commit, whether the tree had changes, when, and on what
//! machine.

use std::path::Path;

use annulus_report::peer::PeerMachine;
use xshell::{Shell, cmd};

/// The git commit of `root` (short hash) and whether the working tree had uncommitted changes;
/// `None` outside a git checkout or without git.
pub fn commit(root: &Path) -> (Option<String>, bool) {
    let Ok(sh) = Shell::new() else { return (None, false) };
    sh.change_dir(root);
    let head = cmd!(sh, "git rev-parse --short=12 HEAD").quiet().ignore_stderr().read().ok();
    let dirty = cmd!(sh, "git status --porcelain")
        .quiet()
        .ignore_stderr()
        .read()
        .is_ok_and(|out| !out.trim().is_empty());
    (head, dirty)
}

/// The current time in UTC, RFC 3339 to the second.
pub fn now_utc() -> String {
    jiff::Timestamp::now()
        .round(jiff::Unit::Second)
        .map_or_else(|_| jiff::Timestamp::now().to_string(), |t| t.to_string())
}

/// One line describing the machine: CPU model, logical cores, memory, OS and architecture.
pub fn machine() -> String {
    machine_facts().describe()
}

/// The machine's CPU model, logical cores, memory and OS, read from `/proc` where it exists.
pub fn machine_facts() -> PeerMachine {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|l| {
            l.strip_prefix("model name")?.split_once(':').map(|(_, v)| v.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory_kib = meminfo.lines().find_map(|l| {
        l.strip_prefix("MemTotal:")?.trim().strip_suffix("kB")?.trim().parse::<u64>().ok()
    });
    PeerMachine {
        cpu,
        logical_cores: u32::try_from(cores).unwrap_or(u32::MAX),
        memory_kib,
        os: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
    }
}
