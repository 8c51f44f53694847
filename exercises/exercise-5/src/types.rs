//! The types the runtime is made of.

use std::fmt;

use crate::CallbackId;

// ANCHOR: js
/// The values a callback receives, shaped like JavaScript's: a callback
/// cannot know in advance whether its work will succeed, so a failure is a
/// value too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Js {
    Undefined,
    String(String),
    Int(usize),
    /// The work failed; the message says why.
    Error(String),
}

impl Js {
    /// The text, if this is a `Js::String`.
    pub fn into_string(self) -> Option<String> {
        match self {
            Js::String(text) => Some(text),
            _ => None,
        }
    }

    /// The number, if this is a `Js::Int`.
    pub fn into_int(self) -> Option<usize> {
        match self {
            Js::Int(number) => Some(number),
            _ => None,
        }
    }
}
// ANCHOR_END: js

// ANCHOR: task
/// The kinds of work a pool thread does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThreadPoolTaskKind {
    FileRead,
    Encrypt,
}

impl fmt::Display for ThreadPoolTaskKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            ThreadPoolTaskKind::FileRead => "FileRead",
            ThreadPoolTaskKind::Encrypt => "Encrypt",
        };
        f.write_str(name)
    }
}

/// A piece of blocking work, and the callback waiting for its result.
///
/// The work is `Send` because a pool thread runs it. Its result comes
/// back to the main thread, which runs the callback `callback_id`.
pub struct Task {
    pub work: Box<dyn FnOnce() -> Js + Send + 'static>,
    pub callback_id: CallbackId,
    pub kind: ThreadPoolTaskKind,
}

impl Task {
    /// Work of the given kind, answering the callback `callback_id`.
    pub fn new(
        kind: ThreadPoolTaskKind,
        callback_id: CallbackId,
        work: impl FnOnce() -> Js + Send + 'static,
    ) -> Task {
        Task {
            work: Box::new(work),
            callback_id,
            kind,
        }
    }
}
// ANCHOR_END: task

// ANCHOR: poll_event
/// The news that reaches the main thread.
#[derive(Debug, PartialEq, Eq)]
pub enum PollEvent {
    /// A pool thread finished a task: which thread, for which callback,
    /// and the result.
    Threadpool {
        thread_id: usize,
        callback_id: CallbackId,
        value: Js,
    },
    /// The socket registered for this callback id is ready.
    Epoll(CallbackId),
    /// The deadline the loop asked to be woken at has passed.
    Timeout,
}
// ANCHOR_END: poll_event

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_task_carries_its_work_and_the_callback_it_answers() {
        let task = Task::new(ThreadPoolTaskKind::Encrypt, CallbackId(7), || {
            Js::Int(1 + 1)
        });
        assert_eq!(task.kind, ThreadPoolTaskKind::Encrypt);
        assert_eq!(task.callback_id, CallbackId(7));
        assert_eq!((task.work)(), Js::Int(2));
    }

    #[test]
    fn task_kinds_print_their_names() {
        assert_eq!(ThreadPoolTaskKind::FileRead.to_string(), "FileRead");
        assert_eq!(ThreadPoolTaskKind::Encrypt.to_string(), "Encrypt");
    }

    #[test]
    fn the_work_of_a_task_can_be_sent_to_another_thread() {
        let task = Task::new(ThreadPoolTaskKind::FileRead, CallbackId(1), || {
            Js::String("done".into())
        });
        let value = std::thread::spawn(move || (task.work)()).join().unwrap();
        assert_eq!(value, Js::String("done".into()));
    }
}
