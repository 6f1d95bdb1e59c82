//! `credence completions SHELL` and `credence man`: both generated from the clap definition of the command
//! line, so they cannot drift from it.

pub(crate) const COMPLETION_EXAMPLES: &str = "\
Examples:
  credence completions bash > ~/.local/share/bash-completion/completions/credence
  credence completions zsh > \"${fpath[1]}/_credence\"
  credence completions fish > ~/.config/fish/completions/credence.fish";

pub(crate) const MAN_EXAMPLES: &str = "\
Examples:
  credence man > ~/.local/share/man/man1/credence.1 && man credence
  credence man | man -l -";

/// The man page (roff) of the command and, after it, one section per subcommand.
pub(crate) fn man_page(cmd: clap::Command) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut out)?;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        // Each subcommand as a page of its own, appended: `man -l` shows them one after the other.
        clap_mangen::Man::new(sub.clone()).title(format!("credence-{}", sub.get_name())).render(&mut out)?;
    }
    Ok(out)
}
