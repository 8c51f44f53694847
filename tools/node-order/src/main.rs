//! `cargo run -p node-order -- NAME [--trace FILE]`: runs one program on
//! the last stage, as a stage's demo runs, with the runtime's log lines
//! and the program's own: so that a trace of it can be stepped through on
//! the book's replay page, beside the same program on another stage.
//! `cargo run -p node-order -- --list` names the programs.

use std::process::ExitCode;
use std::rc::Rc;

use node_order::Out;
use node_order::programs::PROGRAMS;

fn main() -> ExitCode {
    let _trace = runtime::trace::from_command_line();
    let name = std::env::args().nth(1).unwrap_or_default();
    if name == "--list" {
        for (name, _) in PROGRAMS {
            println!("{name}");
        }
        return ExitCode::SUCCESS;
    }
    let Some((_, program)) = PROGRAMS.iter().find(|(known, _)| *known == name) else {
        eprintln!("usage: cargo run -p node-order -- NAME [--trace FILE], NAME one of --list");
        return ExitCode::FAILURE;
    };
    let out = Out::default();
    let for_program = Rc::clone(&out);
    runtime::Runtime::new().run(move || program(&for_program));
    ExitCode::SUCCESS
}
