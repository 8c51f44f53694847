//! The thread pool: worker threads that run blocking tasks, so the main
//! thread never has to.

use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::{self, JoinHandle};

use crate::{Js, PollEvent, Runtime, Task, ThreadPoolTaskKind, log, trace};

// ANCHOR: pool_size
/// How many worker threads the pool has unless told otherwise: four, as in
/// Node (libuv).
pub const POOL_SIZE: usize = 4;

/// The pool size `Runtime::new` uses: the environment variable
/// `UV_THREADPOOL_SIZE`, as Node reads it, if it holds a number from 1 to
/// 1024; otherwise [`POOL_SIZE`].
pub fn pool_size_from_environment() -> usize {
    pool_size_from(std::env::var("UV_THREADPOOL_SIZE").ok().as_deref())
}

fn pool_size_from(setting: Option<&str>) -> usize {
    setting
        .and_then(|size| size.trim().parse().ok())
        .filter(|size| (1..=1024).contains(size))
        .unwrap_or(POOL_SIZE)
}
// ANCHOR_END: pool_size

// ANCHOR: node_thread
/// One worker of the pool, as the main thread sees it.
pub(crate) struct NodeThread {
    /// To wait for the thread to finish, when the runtime shuts down.
    pub(crate) handle: JoinHandle<()>,
    /// To send the thread its next task.
    pub(crate) sender: Sender<Task>,
}
// ANCHOR_END: node_thread

// ANCHOR: start
/// Starts `size` pool threads. Each gets a channel of its own for tasks,
/// and a clone of `events`, the sending end of the one channel that
/// brings every result back to the main thread.
pub(crate) fn start(events: &Sender<PollEvent>, size: usize) -> Vec<NodeThread> {
    (0..size)
        .map(|thread_id| {
            let (sender, tasks) = mpsc::channel();
            let events = events.clone();
            let handle = thread::Builder::new()
                .name(format!("pool{thread_id}"))
                .spawn(move || work(thread_id, tasks, events))
                .expect("the system can start a thread");
            NodeThread { handle, sender }
        })
        .collect()
}
// ANCHOR_END: start

// ANCHOR: work
/// The life of a pool thread: take a task, run it, send its result back;
/// until it is told to close.
fn work(thread_id: usize, tasks: Receiver<Task>, events: Sender<PollEvent>) {
    while let Ok(task) = tasks.recv() {
        let _traced = trace::slice(task.kind);
        if task.kind == ThreadPoolTaskKind::Close {
            break;
        }
        log!("received a task of type: {}", task.kind);
        let value = run_contained(task.work);
        log!("finished running a task of type: {}", task.kind);
        let event = PollEvent::Threadpool((thread_id, task.callback_id, value));
        if events.send(event).is_err() {
            break; // the runtime is gone: nobody is listening
        }
    }
}

/// Runs the work of a task. If it panics, the panic stops here: the task's
/// callback gets a `Js::Error` with the panic's message, and the thread
/// goes on to its next task.
fn run_contained(work: Box<dyn FnOnce() -> Js + Send>) -> Js {
    match panic::catch_unwind(AssertUnwindSafe(work)) {
        Ok(value) => value,
        Err(panic) => Js::Error(format!("the task panicked: {}", panic_message(&*panic))),
    }
}

/// The message a panic was given, if it was given one.
fn panic_message(panic: &(dyn Any + Send)) -> String {
    if let Some(message) = panic.downcast_ref::<&str>() {
        message.to_string()
    } else if let Some(message) = panic.downcast_ref::<String>() {
        message.clone()
    } else {
        "(no message)".to_string()
    }
}
// ANCHOR_END: work

// ANCHOR: register
impl Runtime {
    /// Runs `work` on a pool thread, then `callback` with its result on
    /// the main thread.
    pub(crate) fn register_pool_task(
        &mut self,
        kind: ThreadPoolTaskKind,
        work: impl FnOnce() -> Js + Send + 'static,
        callback: impl FnOnce(Js) + 'static,
    ) {
        let callback_id = self.add_callback(callback);
        if kind == ThreadPoolTaskKind::Close {
            // Not work, but the message that stops a pool thread: the
            // callback would wait for ever, for a thread that is gone.
            let error = Js::Error("a Close task is not work: it would stop a pool thread".into());
            self.defer_callback(callback_id, error);
            return;
        }
        self.tasks_waiting
            .push_back(Task::new(kind, callback_id, work));
        if self.available_threads.is_empty() {
            log!(
                "every pool thread is busy: the {kind} task for callback {callback_id} waits its turn"
            );
        }
        self.dispatch_waiting_tasks();
    }

    /// Hands waiting tasks to idle threads, oldest task first. Tasks that
    /// find no idle thread stay in the queue.
    fn dispatch_waiting_tasks(&mut self) {
        while !self.tasks_waiting.is_empty() {
            let Some(thread_id) = self.available_threads.pop_front() else {
                return;
            };
            let task = self.tasks_waiting.pop_front().expect("checked: not empty");
            trace::instant(format_args!("{} task sent to pool{thread_id}", task.kind));
            self.thread_pool[thread_id]
                .sender
                .send(task)
                .expect("a pool thread only stops when the runtime does");
        }
    }

    /// A pool thread has sent its result: it can take the next task.
    pub(crate) fn thread_is_idle(&mut self, thread_id: usize) {
        self.available_threads.push_back(thread_id);
        self.dispatch_waiting_tasks();
    }
}
// ANCHOR_END: register

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pool_size_comes_from_a_setting_between_1_and_1024() {
        assert_eq!(pool_size_from(None), 4);
        assert_eq!(pool_size_from(Some("8")), 8);
        assert_eq!(pool_size_from(Some(" 1 ")), 1);
        assert_eq!(pool_size_from(Some("1024")), 1024);
        for ignored in ["0", "1025", "-3", "many", ""] {
            assert_eq!(pool_size_from(Some(ignored)), 4, "{ignored:?}");
        }
    }

    #[test]
    fn a_panic_in_a_task_becomes_an_error_value() {
        let value = run_contained(Box::new(|| panic!("out of paper")));
        assert_eq!(
            value,
            Js::Error("the task panicked: out of paper".to_string())
        );
        let value = run_contained(Box::new(|| panic!("{} pages", 3)));
        assert_eq!(value, Js::Error("the task panicked: 3 pages".to_string()));
    }
}
