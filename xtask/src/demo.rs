//! `cargo xtask demo` (written later).
pub fn run(_args: &[String]) -> anyhow::Result<()> {
    Ok(())
}
