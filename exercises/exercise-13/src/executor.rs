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

use std::any::Any;
use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, ThreadId};

use crate::epoll::EventSender;
use crate::handle::runtime_is_running;
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

/// A task's id: the slot it holds among the tasks, and which of the
/// slot's tasks it is (see `Slot`). It is a type of its own, apart from
/// the callbacks' ids, so that the two cannot be mixed up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TaskId {
    slot: usize,
    generation: usize,
}

// ANCHOR: woken
/// What the wakers of all tasks share: the queue of the tasks that were
/// woken, and how to wake the loop. It is made once, and each waker holds
/// it through one `Arc`, where each used to clone its three parts.
pub(crate) struct Woken {
    /// The ids of the tasks that were woken, in the order they were,
    /// waiting to be polled. A waker may be on another thread: hence the
    /// `Mutex`.
    queue: Mutex<VecDeque<TaskId>>,
    loop_thread: ThreadId,
    events: EventSender,
}
// ANCHOR_END: woken
// ANCHOR_END: task

/// How a trace names a task: its slot, a dot, and its generation.
impl fmt::Display for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}.{}", self.slot, self.generation)
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
    woken: Arc<Woken>,
}

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        // Woken twice before it is polled, a task is still polled once.
        // `swap` raises the flag and says whether it was up, in one step,
        // so that two threads that wake the task at once cannot both
        // queue it.
        let was_queued = self.queued.swap(true, Ordering::SeqCst);
        let woken = &self.woken;
        if !was_queued {
            let mut queue = woken.queue.lock().unwrap_or_else(PoisonError::into_inner);
            queue.push_back(self.task_id);
            trace::instant(format_args!("task {} woken", self.task_id));
        }
        if thread::current().id() != woken.loop_thread {
            // If the loop is gone, there is no task to wake either.
            let _ = woken.events.send(PollEvent::TaskWoken);
        }
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
    let (task_id, waker) = with_runtime(|runtime| runtime.tasks.new_task());
    let task = async move {
        let output = Box::new(future.await);
        let before = with_runtime(|runtime| runtime.tasks.deliver(task_id, output));
        if let Join::Awaited(Some(waker)) = before {
            waker.wake();
        }
    };
    let future = Box::pin(task);
    let _traced = trace::slice(format_args!("task {task_id}"));
    poll_task(task_id, AsyncTask { future, waker });
    JoinHandle {
        task_id,
        output: PhantomData,
    }
}
// ANCHOR_END: spawn

// ANCHOR: join_handle
/// The output of a spawned task, as a future: `spawn(f).await` is the
/// value `f` returns. The output waits in the task's slot (see `Join`),
/// so a handle is only the task's id.
pub struct JoinHandle<T> {
    task_id: TaskId,
    /// The type of the output, which the slot keeps as `dyn Any`.
    output: PhantomData<fn() -> T>,
}

impl<T: 'static> Future for JoinHandle<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<T> {
        let waker = context.waker();
        let output = with_runtime(|runtime| runtime.tasks.join(self.task_id, waker));
        match output {
            Some(output) => match output.downcast() {
                Ok(output) => Poll::Ready(*output),
                Err(_) => unreachable!("a task's output has its handle's type"),
            },
            None => Poll::Pending,
        }
    }
}

impl<T> Drop for JoinHandle<T> {
    /// A handle dropped lets its task's output go: now, if the task is
    /// done, or when it is. (At the end of a run, the slots are gone, and
    /// while the runtime is lent out it cannot be reached: the slot then
    /// waits until the runtime is dropped.)
    fn drop(&mut self) {
        if runtime_is_running() {
            let output = with_runtime(|runtime| runtime.tasks.let_go(self.task_id));
            drop(output); // its drop may call the runtime: not inside the loan
        }
    }
}
// ANCHOR_END: join_handle

// ANCHOR: tasks
/// The tasks that are not done, and the queue of those that were woken.
/// The tasks stay on the main thread; only the queue is shared, with the
/// wakers.
pub(crate) struct Tasks {
    /// Every task that is not done, in a slot of its own, which its id
    /// names: the loop finds a woken task at once, without a search.
    slots: Vec<Slot>,
    /// The slots that no task holds, for the next tasks.
    free: Vec<usize>,
    /// The ids of the tasks woken since they were last polled, in what
    /// their wakers share.
    woken: Arc<Woken>,
}

impl Tasks {
    /// No task yet; `events` is the loop's channel, for the wakers.
    pub(crate) fn new(events: EventSender) -> Tasks {
        Tasks {
            slots: Vec::new(),
            free: Vec::new(),
            woken: Arc::new(Woken {
                queue: Mutex::default(),
                loop_thread: thread::current().id(),
                events,
            }),
        }
    }
}

/// A slot for a task. A slot is empty while its task is polled (the task
/// is out), and once the task is done, until another task takes it.
#[derive(Default)]
pub(crate) struct Slot {
    task: Option<AsyncTask>,
    /// How many tasks have held this slot before the one that holds it
    /// now. A task's id carries it, so that the waker of a task that is
    /// done cannot wake the next task in its slot.
    generation: usize,
    /// Where the task's output goes: see `Join`.
    join: Join,
}

// ANCHOR: join
/// A task's output and its `JoinHandle`, which meet in the task's slot
/// rather than in an allocation of their own. The slot is freed once the
/// task is done and its handle has its output, or is gone.
pub(crate) enum Join {
    /// The handle is there; if a task awaits it, that task's waker too.
    Awaited(Option<Waker>),
    /// The task is done, and its output waits for the handle.
    Done(Box<dyn Any>),
    /// The handle was dropped: the output goes nowhere.
    Detached,
}

impl Default for Join {
    /// A new task's: its handle is there, and nobody awaits it yet.
    fn default() -> Join {
        Join::Awaited(None)
    }
}
// ANCHOR_END: join
// ANCHOR_END: tasks

// ANCHOR: tasks_methods
impl Tasks {
    // ANCHOR: new_task
    /// An id for a new task, and its waker: the task takes a free slot,
    /// or a new one.
    pub(crate) fn new_task(&mut self) -> (TaskId, Arc<TaskWaker>) {
        let slot = self.free.pop().unwrap_or_else(|| {
            self.slots.push(Slot::default());
            self.slots.len() - 1
        });
        let generation = self.slots[slot].generation;
        let task_id = TaskId { slot, generation };
        (task_id, self.waker_for(task_id))
    }
    // ANCHOR_END: new_task

    /// Takes out the next woken task that is still there, and lowers its
    /// flag: woken again from now on, while it is polled too, it goes back
    /// in the queue. A task that is done is gone, and its last wake-up is
    /// skipped.
    pub(crate) fn next_woken(&mut self) -> Option<(TaskId, AsyncTask)> {
        loop {
            let task_id = self
                .woken
                .queue
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .pop_front()?;
            // ANCHOR: generation_check
            let slot = &mut self.slots[task_id.slot];
            if slot.generation != task_id.generation {
                trace::instant(format_args!("task {task_id} passed over: it is done"));
                continue; // that task is done; another holds its slot
            }
            // ANCHOR_END: generation_check
            if let Some(task) = slot.task.take() {
                task.waker.queued.store(false, Ordering::SeqCst);
                return Some((task_id, task));
            }
            trace::instant(format_args!("task {task_id} passed over: it is done"));
        }
    }

    /// Keeps a task that is not done in its slot, until it is woken.
    pub(crate) fn put_back(&mut self, task_id: TaskId, task: AsyncTask) {
        self.slots[task_id.slot].task = Some(task);
    }

    // ANCHOR: finish
    /// Frees the slot of a task that is done, unless its handle still
    /// waits for its output.
    pub(crate) fn finish(&mut self, task_id: TaskId) {
        if let Join::Detached = self.slots[task_id.slot].join {
            self.free_slot(task_id.slot);
        }
    }

    /// Makes `slot` free for another task, which counts one more.
    fn free_slot(&mut self, slot: usize) {
        self.slots[slot].generation += 1;
        self.slots[slot].join = Join::default();
        self.free.push(slot);
    }
    // ANCHOR_END: finish

    // ANCHOR: join_methods
    /// Leaves the output of task `task_id`, which is done, for its handle,
    /// and returns what was there: the waker of a task that awaits the
    /// handle, to wake; or, if the handle is gone, the output itself, to
    /// drop. The caller does either outside the loan.
    pub(crate) fn deliver(&mut self, task_id: TaskId, output: Box<dyn Any>) -> Join {
        let join = &mut self.slots[task_id.slot].join;
        if let Join::Detached = join {
            return Join::Done(output);
        }
        std::mem::replace(join, Join::Done(output))
    }

    /// The output of task `task_id`, if it is done, which frees its slot;
    /// if not, the handle waits, with `waker`.
    pub(crate) fn join(&mut self, task_id: TaskId, waker: &Waker) -> Option<Box<dyn Any>> {
        let slot = &mut self.slots[task_id.slot];
        let polled_again = slot.generation != task_id.generation;
        assert!(!polled_again, "a JoinHandle polled after its output");
        match std::mem::take(&mut slot.join) {
            Join::Done(output) => {
                self.free_slot(task_id.slot);
                Some(output)
            }
            _ => {
                slot.join = Join::Awaited(Some(waker.clone()));
                None
            }
        }
    }

    /// The handle of task `task_id` is dropped: the task's output, if it
    /// is done, is returned to drop, and its slot freed.
    pub(crate) fn let_go(&mut self, task_id: TaskId) -> Option<Box<dyn Any>> {
        let slot = self.slots.get_mut(task_id.slot)?; // none at the end of a run
        if slot.generation != task_id.generation {
            return None; // it gave its output, and let go then
        }
        match std::mem::replace(&mut slot.join, Join::Detached) {
            Join::Done(output) => {
                self.free_slot(task_id.slot);
                Some(output)
            }
            _ => None,
        }
    }
    // ANCHOR_END: join_methods

    /// The waker of task `task_id`, not yet woken.
    fn waker_for(&self, task_id: TaskId) -> Arc<TaskWaker> {
        Arc::new(TaskWaker {
            task_id,
            queued: AtomicBool::new(false),
            woken: Arc::clone(&self.woken),
        })
    }
}
// ANCHOR_END: tasks_methods

// ANCHOR: take_all
impl Tasks {
    /// Takes out every task that is not done: what is left at the end of a
    /// run.
    /// Their slots go with them, and the outputs that wait there.
    pub(crate) fn take_all(&mut self) -> Vec<Slot> {
        self.free.clear();
        std::mem::take(&mut self.slots)
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
    let waker = Waker::from(Arc::clone(&task.waker));
    let mut context = Context::from_waker(&waker);
    if task.future.as_mut().poll(&mut context).is_pending() {
        with_runtime(|runtime| runtime.tasks.put_back(task_id, task));
    } else {
        drop(task); // its drop may call the runtime: not inside the loan
        with_runtime(|runtime| runtime.tasks.finish(task_id));
    }
}
// ANCHOR_END: run_woken_tasks
