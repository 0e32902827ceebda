//! `darklaunch`: the command-line tool for publishers and CI pipelines (feature `cli`).
//!
//! One file per command (`keygen`, `sign`, `verify`, `lint`, `eval`, `simulate`, `diff`), the
//! argument definitions in `args`, failures and printing in `output`, and the shared readers in
//! `input`, `keys` and `time`. Every command exits 0 when all is well, 1 when its input was
//! checked and is invalid or rejected, 2 on a usage error (clap's own usage errors exit 2 too).

mod args;
mod diff;
mod eval;
mod input;
mod keygen;
mod keys;
mod lint;
mod output;
mod sign;
mod simulate;
mod time;
mod verify;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};
use crate::output::{print_json, Failure};

fn main() -> ExitCode {
    // --help and --version exit 0; usage errors print clap's message and exit 2.
    let cli = Cli::parse();
    let name = cli.command.name();
    let json = cli.command.json();
    match run(&cli.command) {
        Ok(code) => ExitCode::from(code),
        Err(failure) => {
            eprintln!("darklaunch {name}: error: {failure}");
            if json {
                print_json(&failure.to_json());
            }
            ExitCode::from(failure.exit)
        }
    }
}

fn run(command: &Command) -> Result<u8, Failure> {
    match command {
        Command::Keygen(args) => keygen::run(args),
        Command::Sign(args) => sign::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Lint(args) => lint::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Simulate(args) => simulate::run(args),
        Command::Diff(args) => diff::run(args),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_command_line_definition_is_consistent() {
        use clap::CommandFactory;
        crate::args::Cli::command().debug_assert();
    }
}
