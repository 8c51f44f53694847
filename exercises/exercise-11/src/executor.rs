//! The executor: futures that the loop polls, on the main thread, beside the
//! callbacks.
//!
//! A future does nothing by itself. Something must call its `poll`, and
//! call it again when it can make progress: that is an executor, and here
//! the loop is the executor. `spawn` hands it a future, as a task, and
//! polls it a first time; the task runs until it must wait, and leaves a
//! `Waker` with whatever it waits for. When that thing happens
//! (a timer's callback, a pool task's, a socket's), it wakes the task, and
//! the loop polls it again, right after the callback that woke it, as Node
//! runs a promise's reactions right after the callback that settled it.
//! No task is polled for nothing, and none is forgotten.

use std::cell::RefCell;
use std::collections::{BTreeMap, VecDeque};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, ThreadId};

use crate::handle::with_runtime;
use crate::{PollEvent, trace};

// ANCHOR: task
/// A task: a future the loop polls until it is done, and the waker it is
/// polled with, made once, when the task is spawned.
pub(crate) struct AsyncTask {
    /// Its output, if it has one, goes to its `JoinHandle` (see `spawn`),
    /// so the loop only sees `()`. It stays on the main thread, so it need
    /// not be `Send`: a task can hold an `Rc`, as a callback can.
    future: Pin<Box<dyn Future<Output = ()>>>,
    /// What its `Waker` is made from, kept as it is so that the loop can
    /// lower its flag (see `TaskWaker`).
    waker: Arc<TaskWaker>,
}

/// A task's id: a number of its own, apart from the callbacks' ids, so
/// that the two cannot be mixed up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct TaskId(usize);

/// The ids of the tasks that were woken, in the order they were, waiting
/// to be polled. Shared with every `Waker`, which may be on another thread:
/// hence the `Arc` and the `Mutex`.
pub(crate) type Woken = Arc<Mutex<VecDeque<TaskId>>>;
// ANCHOR_END: task

/// How a trace names a task: by its number.
impl fmt::Display for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

// ANCHOR: waker
/// What a task's `Waker` does when it is woken: it puts the task's id in
/// the queue of woken tasks, unless it is there already. On the main
/// thread, that is all: the loop polls the task after the callback that
/// woke it. From any other thread, the loop may be asleep in the poll
/// phase, so the waker also sends it an event, to wake it.
pub(crate) struct TaskWaker {
    task_id: TaskId,
    /// Whether the task's id is in the queue: raised by the wake that
    /// puts it there, lowered by the loop when it takes the task out to
    /// poll it. Looking through the queue instead would cost time in the
    /// length of the queue, for every wake.
    queued: AtomicBool,
    woken: Woken,
    loop_thread: ThreadId,
    events: Sender<PollEvent>,
}

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        todo!(
            "exercise 11: Put the task's id at the back of the queue of woken tasks, unless it is there already: the queued flag says so, in one step. If this is not the loop's thread, also send the loop a `PollEvent::TaskWoken`: it may be asleep in the poll phase, and nothing else would wake it. The book explains it in \"Waking a task\", on the page \"Stage 11: futures on our loop\" (book/src/chapter-11.md)."
        )
    }
}
// ANCHOR_END: waker

// ANCHOR: spawn
/// Starts `future` as a task of the running runtime, and runs it at once,
/// up to its first `.await` that must wait: as calling an `async` function
/// does in JavaScript. (tokio's `spawn` only queues the task.) The
/// `JoinHandle` is a future of the task's output; dropping it does not
/// stop the task.
pub fn spawn<T: 'static>(future: impl Future<Output = T> + 'static) -> JoinHandle<T> {
    let output = Rc::new(RefCell::new(Output {
        value: None,
        waker: None,
    }));
    let handle = JoinHandle {
        output: Rc::clone(&output),
    };
    let task = async move {
        let value = future.await;
        let mut output = output.borrow_mut();
        output.value = Some(value);
        if let Some(waker) = output.waker.take() {
            waker.wake();
        }
    };
    let (task_id, waker) = with_runtime(|runtime| runtime.tasks.new_task());
    let future = Box::pin(task);
    let _traced = trace::slice(format_args!("task {task_id}"));
    poll_task(task_id, AsyncTask { future, waker });
    handle
}
// ANCHOR_END: spawn

// ANCHOR: join_handle

/// A task's output, once it is done, and who waits for it.
struct Output<T> {
    value: Option<T>,
    waker: Option<Waker>,
}

/// The output of a spawned task, as a future: `spawn(f).await` is the
/// value `f` returns.
pub struct JoinHandle<T> {
    output: Rc<RefCell<Output<T>>>,
}

impl<T> Future for JoinHandle<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<T> {
        let mut output = self.output.borrow_mut();
        match output.value.take() {
            Some(value) => Poll::Ready(value),
            None => {
                output.waker = Some(context.waker().clone());
                Poll::Pending
            }
        }
    }
}
// ANCHOR_END: join_handle

// ANCHOR: tasks
/// The tasks that are not done, and the queue of those that were woken.
/// The tasks stay on the main thread; only the queue is shared, with the
/// wakers.
pub(crate) struct Tasks {
    /// The tasks that are not done, in the order of their ids: futures the
    /// loop polls.
    waiting: BTreeMap<TaskId, AsyncTask>,
    /// The last id handed out to a task. Tasks have their own ids, apart
    /// from the callbacks': a program's callbacks get the same ids whether
    /// or not it also spawns tasks.
    last_id: usize,
    /// The ids of the tasks woken since they were last polled.
    woken: Woken,
    /// For the wakers of tasks woken on another thread, to wake the loop.
    events: Sender<PollEvent>,
}

impl Tasks {
    /// No task yet; `events` is the loop's channel, for the wakers.
    pub(crate) fn new(events: Sender<PollEvent>) -> Tasks {
        Tasks {
            waiting: BTreeMap::new(),
            last_id: 0,
            woken: Woken::default(),
            events,
        }
    }
}
// ANCHOR_END: tasks

// ANCHOR: tasks_methods
impl Tasks {
    /// An id for a new task, and its waker.
    pub(crate) fn new_task(&mut self) -> (TaskId, Arc<TaskWaker>) {
        self.last_id += 1;
        let task_id = TaskId(self.last_id);
        (task_id, self.waker_for(task_id))
    }

    /// Takes out the next woken task that is still there, and lowers its
    /// flag: woken again from now on, while it is polled too, it goes back
    /// in the queue. A task that is done is gone, and its last wake-up is
    /// skipped.
    pub(crate) fn next_woken(&mut self) -> Option<(TaskId, AsyncTask)> {
        loop {
            let task_id = self
                .woken
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .pop_front()?;
            if let Some(task) = self.waiting.remove(&task_id) {
                task.waker.queued.store(false, Ordering::SeqCst);
                return Some((task_id, task));
            }
            trace::instant(format_args!("task {task_id} passed over: it is done"));
        }
    }

    /// Keeps a task that is not done, under its id, until it is woken.
    pub(crate) fn put_back(&mut self, task_id: TaskId, task: AsyncTask) {
        self.waiting.insert(task_id, task);
    }

    /// The waker of task `task_id`, not yet woken.
    fn waker_for(&self, task_id: TaskId) -> Arc<TaskWaker> {
        Arc::new(TaskWaker {
            task_id,
            queued: AtomicBool::new(false),
            woken: Arc::clone(&self.woken),
            loop_thread: thread::current().id(),
            events: self.events.clone(),
        })
    }
}
// ANCHOR_END: tasks_methods

// ANCHOR: take_all
impl Tasks {
    /// Takes out every task that is not done: what is left at the end of a
    /// run.
    pub(crate) fn take_all(&mut self) -> BTreeMap<TaskId, AsyncTask> {
        std::mem::take(&mut self.waiting)
    }
}
// ANCHOR_END: take_all

// ANCHOR: run_woken_tasks
/// Polls every woken task, one at a time, until none is left: those woken
/// meanwhile too. The loop calls it after the program, after each callback
/// and at the end of the poll phase.
pub(crate) fn run_woken_tasks() {
    while let Some((task_id, task)) = with_runtime(|runtime| runtime.tasks.next_woken()) {
        let _traced = trace::slice(format_args!("task {task_id}"));
        poll_task(task_id, task);
    }
}

/// Polls a task once, with its waker. The task is out of the runtime
/// while it is polled, so that it can call `spawn`, `set_timeout` and the
/// rest, as a callback can; if it is not done, it goes back in.
fn poll_task(task_id: TaskId, mut task: AsyncTask) {
    todo!(
        "exercise 11: Poll the task's future once, with a context made from a Waker of the task's own TaskWaker, while the task is out of the runtime; if it is not done, put it back, under its id. The book explains it in \"The loop as executor\", on the page \"Stage 11: futures on our loop\" (book/src/chapter-11.md)."
    )
}
// ANCHOR_END: run_woken_tasks
