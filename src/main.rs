//! The `kubedrill` binary: parses the command line and hands it to [`kubedrill::cli`].
//! Exit codes: 0 valid / pass, 1 invalid / fail, 2 usage or I/O error.

use std::process::ExitCode;

fn main() -> ExitCode {
    kubedrill::cli::main()
}
