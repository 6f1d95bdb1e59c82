//! The `credence` command: parses arguments, runs one command, maps errors to documented exit codes.

#![deny(clippy::string_slice)]

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
