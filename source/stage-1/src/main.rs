//! Stage 1 at work: callbacks wait by id, events bring their values.
//!
//! There are no threads yet, so this program plays the part of the thread
//! pool itself: it runs each task right here, then hands the result to the
//! runtime as the event a pool thread will send in stage 2.

use chapter_1::{Js, PollEvent, Runtime, Task, ThreadPoolTaskKind, log};

// ANCHOR: main
fn main() {
    // `cargo run -p chapter-1 -- --trace FILE` writes a trace of the run.
    let _trace = chapter_1::trace::from_command_line();
    let mut runtime = Runtime::new();

    // The program asks for two pieces of work, each with a callback.
    let read_callback = runtime.add_callback(|value: Js| {
        log!("callback: the file read gave {value:?}");
    });
    let count_callback = runtime.add_callback(|value: Js| {
        log!("callback: the count gave {value:?}");
    });
    log!("registered callbacks {read_callback} and {count_callback}");
    log!("pending events: {}", runtime.pending_events());

    // The work that goes with them: a file read, and some counting.
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/hello.txt");
    let tasks =
        vec![
            Task::new(ThreadPoolTaskKind::Encrypt, count_callback, || {
                Js::Int((1..=100).sum())
            }),
            Task::new(ThreadPoolTaskKind::FileRead, read_callback, move || {
                match std::fs::read_to_string(path) {
                    Ok(text) => Js::String(text),
                    Err(error) => Js::Error(error.to_string()),
                }
            }),
        ];
    // ANCHOR_END: main

    // ANCHOR: play_the_pool
    // Play the thread pool: run each task, and send its result back as an
    // event. Nothing runs a callback yet; they only become ready.
    for task in tasks {
        log!(
            "running the {} task for callback {}",
            task.kind,
            task.callback_id
        );
        let value = (task.work)();
        runtime.handle_event(PollEvent::Threadpool {
            thread_id: 0,
            callback_id: task.callback_id,
            value,
        });
    }
    log!("pending events: {}", runtime.pending_events());

    // Now the callbacks run, in the order their events arrived.
    runtime.run_callbacks();
    log!("done");
}
// ANCHOR_END: play_the_pool
