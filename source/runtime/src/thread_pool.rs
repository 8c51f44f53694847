//@ 2..
//! The thread pool: worker threads that run blocking tasks, so the main
//! thread never has to.

use std::any::Any;
use std::collections::VecDeque;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::{self, JoinHandle};

use crate::epoll::EventSender;
use crate::{Js, PollEvent, Runtime, Task, ThreadPoolTaskKind, log, trace};

//@ ..=8
// /// How many worker threads the pool has. Node's pool (libuv's) has four
// /// unless told otherwise.
//@ or 9..
// ANCHOR: pool_size
/// How many worker threads the pool has unless told otherwise: four, as in
/// Node (libuv).
//@ end
pub const POOL_SIZE: usize = 4;
//@ 9..

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
//@ end

// ANCHOR: node_thread
/// One worker of the pool, as the main thread sees it.
pub(crate) struct NodeThread {
    /// To wait for the thread to finish, when the runtime shuts down.
    handle: JoinHandle<()>,
    /// To send the thread its next task.
    sender: Sender<Task>,
}
// ANCHOR_END: node_thread

// ANCHOR: start
//@ ..=8
// /// Starts the pool's threads. Each gets a channel of its own for tasks,
// /// and a clone of `events`, the sending end of the one channel that
// /// brings every result back to the main thread.
// pub(crate) fn start(events: &Sender<PollEvent>) -> Vec<NodeThread> {
//     (0..POOL_SIZE)
//         .map(|thread_id| {
//             let (sender, tasks) = mpsc::channel();
//             let events = events.clone();
//             let handle = thread::Builder::new()
//                 .name(format!("pool{thread_id}"))
//                 .spawn(move || work(thread_id, tasks, events))
//                 .expect("the system can start a thread");
//             NodeThread { handle, sender }
//         })
//         .collect()
// }
//@ or 9..
/// Starts `size` pool threads. Each gets a channel of its own for tasks,
/// and a clone of `events`, the sending end of the one channel that
/// brings every result back to the main thread.
// pub(crate) fn start(events: &Sender<PollEvent>, size: usize) -> Vec<NodeThread> //@ 9..=12
pub(crate) fn start(events: &EventSender, size: usize) -> Vec<NodeThread> //@ 13
{
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
//@ end
// ANCHOR_END: start

// ANCHOR: work
/// The life of a pool thread: take a task, run it, send its result back;
/// until the runtime drops the sending end of the thread's channel. Then
/// `recv` fails, once every task sent before has been taken, and the
/// thread ends.
// fn work(thread_id: usize, tasks: Receiver<Task>, events: Sender<PollEvent>) //@ ..=12
fn work(thread_id: usize, tasks: Receiver<Task>, events: EventSender) //@ 13
{
    while let Ok(task) = tasks.recv() {
        let _traced = trace::slice(task.kind);
        log!("received a task of type: {}", task.kind);
        // let value = (task.work)(); //@ ..=8
        let value = run_contained(task.work); //@ 9..
        log!("finished running a task of type: {}", task.kind);
        let event = PollEvent::Threadpool {
            thread_id,
            callback_id: task.callback_id,
            value,
        };
        if events.send(event).is_err() {
            break; // the runtime is gone: nobody is listening
        }
    }
    trace::instant(format_args!("stopped"));
}
//@ 9..

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
//@ end
// ANCHOR_END: work

// ANCHOR: pool
/// The pool: its threads, which of them are idle, and the tasks that wait
/// for one.
pub(crate) struct Pool {
    /// One worker per pool thread: its join handle, and where to send it
    /// tasks.
    threads: Vec<NodeThread>,
    //@ 13..
    /// How many threads to start, and the channel their results go back
    /// on: kept until the first task comes, since the threads start then
    /// (see `start_threads`).
    size: usize,
    events: EventSender,
    //@ end
    /// The ids of the pool threads that are idle, longest idle first.
    idle: VecDeque<usize>,
    /// Tasks that wait for a thread to become idle, oldest first.
    waiting: VecDeque<Task>,
}

impl Pool {
    //@ ..=12
    // /// A pool of `threads`, every one of them idle.
    // pub(crate) fn new(threads: Vec<NodeThread>) -> Pool {
    //     Pool {
    //         idle: (0..threads.len()).collect(),
    //         threads,
    //         waiting: VecDeque::new(),
    //     }
    // }
    //@ or 13..
    /// A pool of `size` threads, every one of them idle, and not started
    /// yet: their results will go back on `events`.
    pub(crate) fn new(events: EventSender, size: usize) -> Pool {
        Pool {
            threads: Vec::new(),
            size,
            events,
            idle: (0..size).collect(),
            waiting: VecDeque::new(),
        }
    }

    // ANCHOR: start_threads
    /// Starts the threads, if they have not started yet: on the first
    /// task, as libuv's pool does. A program that never uses the pool
    /// stays a process of one thread, and that matters: the kernel makes
    /// a process of several threads wait, each time its table of file
    /// descriptors grows, until no other thread can still be reading the
    /// old table (an RCU grace period, milliseconds). A thousand sockets
    /// grow it four times.
    fn start_threads(&mut self) {
        if self.threads.is_empty() {
            self.threads = start(&self.events, self.size);
        }
    }
    // ANCHOR_END: start_threads
    //@ end

    /// Gives `task` to an idle thread, or keeps it, behind the others,
    /// until one is idle.
    pub(crate) fn submit(&mut self, task: Task) {
        self.start_threads(); //@ 13..
        if self.idle.is_empty() {
            log!(
                "every pool thread is busy: the {} task for callback {} waits its turn",
                task.kind,
                task.callback_id
            );
        }
        self.waiting.push_back(task);
        self.dispatch_waiting_tasks();
    }
    // ANCHOR_END: pool

    // ANCHOR: dispatch
    /// Hands waiting tasks to idle threads, oldest task first. Tasks that
    /// find no idle thread stay in the queue.
    fn dispatch_waiting_tasks(&mut self) {
        while !self.waiting.is_empty() {
            let Some(thread_id) = self.idle.pop_front() else {
                return;
            };
            let task = self.waiting.pop_front().expect("checked: not empty");
            self.send_task(thread_id, task);
        }
    }

    /// A pool thread has sent its result: it can take the next task.
    pub(crate) fn thread_is_idle(&mut self, thread_id: usize) {
        self.idle.push_back(thread_id);
        self.dispatch_waiting_tasks();
    }

    /// Sends `task` down the channel of pool thread `thread_id`, and marks
    /// it in the trace, if one is recorded.
    fn send_task(&self, thread_id: usize, task: Task) {
        trace::instant(format_args!("{} task sent to pool{thread_id}", task.kind));
        self.threads[thread_id]
            .sender
            .send(task)
            .expect("a pool thread only stops when the runtime does");
    }
    // ANCHOR_END: dispatch

    // ANCHOR: stop_and_join
    /// Stops every thread, and waits for each one to end. Returns how many
    /// there were.
    pub(crate) fn stop_and_join(&mut self) -> usize {
        let threads = self.threads.len();
        let (handles, senders): (Vec<_>, Vec<_>) = self
            .threads
            .drain(..)
            .map(|thread| (thread.handle, thread.sender))
            .unzip();
        // Without its sender, each thread's `recv` fails once its channel
        // is empty: all of them stop side by side, then we wait for each.
        drop(senders);
        for handle in handles {
            let _ = handle.join();
        }
        threads
    }
}
// ANCHOR_END: stop_and_join

// ANCHOR: register
impl Runtime {
    /// Runs `work` on a pool thread, then `callback` with its result on
    /// the main thread.
    //@ ..=4
    // pub fn register_pool_task(
    //     &mut self,
    //     kind: ThreadPoolTaskKind,
    //     work: impl FnOnce() -> Js + Send + 'static,
    //     callback: impl FnOnce(Js) + 'static,
    // ) {
    //     let callback_id = self.add_callback(callback);
    //     self.pool.submit(Task::new(kind, callback_id, work));
    // }
    //@ or 5..
    pub(crate) fn register_pool_task(
        &mut self,
        kind: ThreadPoolTaskKind,
        work: impl FnOnce() -> Js + Send + 'static,
        callback: impl FnOnce(Js) + 'static,
    ) {
        let callback_id = self.add_callback(callback);
        self.pool.submit(Task::new(kind, callback_id, work));
    }
    //@ end
}
// ANCHOR_END: register
//@ 9..

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pool_size_comes_from_a_setting_between_1_and_1024() {
        let sizes = [
            (None, 4),
            (Some("8"), 8),
            (Some(" 1 "), 1),
            (Some("1024"), 1024),
            (Some("0"), 4),
            (Some("1025"), 4),
            (Some("-3"), 4),
            (Some("many"), 4),
            (Some(""), 4),
        ];
        for (setting, size) in sizes {
            assert_eq!(
                pool_size_from(setting),
                size,
                "the setting {setting:?} must give a pool of {size}"
            );
        }
    }

    #[test]
    fn a_panic_carries_its_message_as_a_str_or_as_a_string() {
        // What `panic!` hands on: a `&str` for a plain message, a `String`
        // for one formatted at run time.
        let plain: Box<dyn Any + Send> = Box::new("out of paper");
        assert_eq!(
            panic_message(&*plain),
            "out of paper",
            "a panic with a plain message (a &str) must give that message"
        );
        let formatted: Box<dyn Any + Send> = Box::new(format!("{} pages", 3));
        assert_eq!(
            panic_message(&*formatted),
            "3 pages",
            "a panic with a formatted message (a String) must give that message"
        );
        let other: Box<dyn Any + Send> = Box::new(7);
        assert_eq!(
            panic_message(&*other),
            "(no message)",
            "a panic with a value that is not a message has no message to give"
        );
    }

    #[test]
    fn a_panic_in_a_task_becomes_an_error_value() {
        let value = run_contained(Box::new(|| panic!("out of paper")));
        assert_eq!(
            value,
            Js::Error("the task panicked: out of paper".to_string())
        );
        let pages = 3;
        let value = run_contained(Box::new(move || panic!("{pages} pages")));
        assert_eq!(value, Js::Error("the task panicked: 3 pages".to_string()));
    }
}
//@ end
//@ end
