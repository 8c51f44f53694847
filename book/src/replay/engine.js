// engine.js: makes the replay's steps from a trace that any stage's
// program wrote with `--trace FILE`, in the browser, so that a reader can
// replay their own run; nothing leaves their machine.
//
// It reads only what the trace records, and makes up nothing:
// - each instant is a step: a line the program printed (category `log`),
//   or a mark of the runtime's own (a timer set, a callback ready, a task
//   sent to the pool);
// - what each thread is doing comes from the slices that cover the
//   step's moment on that thread (a callback, a task, a phase, a pool
//   task, a wait in epoll);
// - the loop's tick and phase come from the tick lines and the phases'
//   slices of the thread that runs the loop;
// - the queues come from the marks that change them, applied in order up
//   to the step: timers set, armed again, fired and cleared; immediates
//   set; sockets watched, until their callback is ready, deferred or
//   taken away; callbacks ready (in the order they run) or deferred to
//   the next pending phase, until they run; tasks woken, until they are
//   polled (a slice `task N` begins) or passed over, being done; and the
//   pool's tasks, from the "sent to poolN" marks and the slices of the
//   tasks each pool thread runs, each done at its thread's line "finished
//   running a task". The callbacks ready and the pool's tasks are always
//   shown; the other queues only in a run that uses them.
//
// The steps have the shape that replay.js draws (see there), without
// `pending`, which the trace does not record.
//
// In the browser: window.ReplayEngine.steps(text). In Node (the book's
// checks): require('./engine.js').steps(text). Either throws an Error
// whose message says what is wrong with the file.
(function (exports) {
  'use strict';

  const PHASES = ['timers', 'pending', 'poll', 'check'];

  // A duration in microseconds, as a reader would say it.
  function duration(microseconds) {
    if (microseconds >= 10000) return Math.floor(microseconds / 1000) + ' ms';
    return (microseconds / 1000).toFixed(1) + ' ms';
  }

  // The trace's events, each with its thread's name, in the order they
  // began (those that began in the same microsecond, in the file's order).
  function read(text) {
    let json;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new Error('This file is not JSON: ' + error.message);
    }
    const list = Array.isArray(json) ? json : json && json.traceEvents;
    if (!Array.isArray(list)) {
      throw new Error('This file has no traceEvents list: it is not a trace that --trace wrote.');
    }
    const names = new Map();
    for (const event of list) {
      if (event.ph === 'M' && event.name === 'thread_name' && event.args) {
        names.set(event.tid, String(event.args.name));
      }
    }
    const events = [];
    list.forEach((event, recorded) => {
      if (event.ph !== 'X' && event.ph !== 'i') return;
      if (!names.has(event.tid) || typeof event.ts !== 'number' || typeof event.name !== 'string') {
        throw new Error('An event of this trace has no thread name, time or name: ' + JSON.stringify(event));
      }
      events.push({
        name: event.name,
        thread: names.get(event.tid),
        start: event.ts,
        end: event.ph === 'X' ? event.ts + (event.dur || 0) : null,
        printed: event.cat === 'log',
        recorded,
      });
    });
    events.sort((a, b) => a.start - b.start || a.recorded - b.recorded);
    if (!events.some((event) => event.printed)) {
      throw new Error(
        'This trace marks no printed line (category "log"): it was written by an older ' +
          'version of the stages. Record it again with --trace.'
      );
    }
    return { threads: orderedThreads([...names.values()]), events };
  }

  // The loop's thread first, then the epoll thread, then the pool's in the
  // order of their numbers, then any other.
  function orderedThreads(names) {
    const rank = (name) => {
      if (name === 'main') return [0, 0];
      if (name === 'epoll') return [1, 0];
      const pool = /^pool(\d+)$/.exec(name);
      if (pool) return [2, Number(pool[1])];
      return [3, 0];
    };
    return [...new Set(names)].sort((a, b) => {
      const [x, y] = [rank(a), rank(b)];
      return x[0] - y[0] || x[1] - y[1] || a.localeCompare(b);
    });
  }

  function covers(event, at) {
    return event.end !== null && event.start <= at && at < event.end;
  }

  // The slices of `thread` that cover `at`, innermost last.
  function slicesAt(run, thread, at) {
    return run.events.filter((event) => event.thread === thread && covers(event, at));
  }

  function tickAt(run, at) {
    let tick = 0;
    for (const event of run.events) {
      if (event.start > at) break;
      const match = event.thread === run.main && /^===== tick (\d+) =====$/.exec(event.name);
      if (match) tick = Number(match[1]);
    }
    return tick;
  }

  function phaseAt(run, at) {
    const phases = slicesAt(run, run.main, at).filter((event) => PHASES.includes(event.name));
    if (phases.length > 0) return phases[phases.length - 1].name + ' phase';
    if (tickAt(run, at) === 0) return 'before the loop: the program runs';
    const later = run.events.some(
      (event) => event.thread === run.main && PHASES.includes(event.name) && event.start > at
    );
    return later ? 'between two phases' : 'after the last tick';
  }

  // What `thread` is doing at `at`, from the slices that cover it.
  function doingAt(run, thread, at) {
    const slices = slicesAt(run, thread, at);
    const inner = slices.length > 0 ? slices[slices.length - 1].name : null;
    const stopped = run.events.some(
      (event) => event.thread === thread && event.name === 'stopped' && event.start <= at
    );
    if (inner === 'callback') return 'runs a callback';
    if (inner !== null && /^task /.test(inner)) return 'polls ' + inner;
    if (inner === 'program') return 'runs the program';
    if (inner === 'epoll wait') return 'asleep in epoll_wait';
    if (PHASES.includes(inner)) return 'in the ' + inner + ' phase';
    if (inner !== null) return 'works on its ' + inner + ' task';
    if (stopped) return 'stopped';
    if (/^pool\d+$/.test(thread)) return 'idle, waiting for a task';
    if (thread === run.main) {
      return tickAt(run, at) === 0 ? 'starts the runtime' : 'between two phases';
    }
    return 'awake';
  }

  // The pool's tasks: each "KIND task sent to poolN" mark, paired, in
  // order, with the slices that poolN runs.
  function poolTasks(run) {
    const tasks = [];
    for (const thread of run.threads.filter((name) => /^pool\d+$/.test(name))) {
      const sent = run.events.filter((event) => event.name.endsWith(' task sent to ' + thread));
      const ran = run.events.filter((event) => event.thread === thread && event.end !== null);
      sent.forEach((mark, at) => {
        const slice = ran[at];
        // Done when its thread says so, just before it sends the result,
        // which the loop may take and answer before the slice ends.
        const finished = slice
          ? run.events.find(
              (event) =>
                event.thread === thread &&
                event.printed &&
                event.name.startsWith('finished running a task') &&
                covers(slice, event.start)
            )
          : undefined;
        tasks.push({
          kind: mark.name.slice(0, mark.name.indexOf(' task sent to ')),
          thread,
          sent: mark.start,
          began: slice ? slice.start : Infinity,
          done: finished ? finished.start : slice ? slice.end : Infinity,
        });
      });
    }
    return tasks;
  }

  function poolQueue(tasks, at) {
    const items = [];
    for (const task of tasks) {
      if (task.sent <= at && at < task.began) items.push(task.kind + ', sent to ' + task.thread + ', not begun');
      else if (task.began <= at && at < task.done) items.push(task.kind + ', on ' + task.thread);
    }
    return items;
  }

  // The queues that the runtime's marks describe, as they stand after
  // each mark: `apply` takes the events in order, `items` says what waits.
  // Each rule names the queue it shows the run uses, if any.
  function markedQueues() {
    const timers = new Map(); // number -> { due, interval }
    const immediates = [];
    const sockets = [];
    const ready = []; // callback ids, in the order they run
    const deferred = []; // callback ids, for a pending phase
    const woken = []; // task ids, in the order they are polled
    const seen = new Set();
    const drop = (list, item) => {
      const at = list.indexOf(item);
      if (at >= 0) list.splice(at, 1);
    };
    // A callback's event has come: it no longer waits as an immediate or
    // for its socket.
    const answered = (id) => {
      drop(immediates, id);
      drop(sockets, id);
    };
    const rules = [
      [/^timer (\d+) set, due at (\d+) us$/, 'timers', (m) => timers.set(m[1], { due: Number(m[2]), interval: null })],
      [
        /^interval (\d+) armed again as timer (\d+), due at (\d+) us$/,
        'timers',
        (m) => timers.set(m[2], { due: Number(m[3]), interval: m[1] }),
      ],
      [/^timer (\d+) fired$/, 'timers', (m) => timers.delete(m[1])],
      [
        // Clearing an interval names its first number.
        /^timer (\d+) cleared$/,
        'timers',
        (m) => {
          for (const [number, timer] of [...timers]) {
            if (number === m[1] || timer.interval === m[1]) timers.delete(number);
          }
        },
      ],
      [/^immediate (\d+) set$/, 'immediates', (m) => immediates.push(m[1])],
      [/^watching socket (\d+)$/, 'sockets', (m) => sockets.includes(m[1]) || sockets.push(m[1])],
      [
        /^callback (\d+) ready$/,
        null,
        (m) => {
          answered(m[1]);
          ready.push(m[1]);
        },
      ],
      [
        /^callback (\d+) ready, first in line$/,
        null,
        (m) => {
          answered(m[1]);
          ready.unshift(m[1]);
        },
      ],
      [
        // An error found before any work began, or, at the end of a phase
        // that used up its budget, a callback that was ready.
        /^callback (\d+) deferred$/,
        null,
        (m) => {
          answered(m[1]);
          drop(ready, m[1]);
          deferred.push(m[1]);
        },
      ],
      [
        /^callback (\d+) runs$/,
        null,
        (m) => {
          if (ready.includes(m[1])) drop(ready, m[1]);
          else drop(deferred, m[1]);
        },
      ],
      [/^callback (\d+) taken away$/, null, (m) => answered(m[1])],
      [/^task (\S+) woken$/, 'tasks', (m) => woken.push(m[1])],
      [/^task (\S+) passed over: it is done$/, 'tasks', (m) => drop(woken, m[1])],
    ];
    return {
      apply(event) {
        if (event.printed) return;
        if (event.end !== null) {
          // A task's poll: it leaves the queue of woken tasks.
          const polled = /^task (\S+)$/.exec(event.name);
          if (polled) drop(woken, polled[1]);
          return;
        }
        for (const [pattern, queue, change] of rules) {
          const match = pattern.exec(event.name);
          if (match) {
            if (queue) seen.add(queue);
            change(match);
            return;
          }
        }
      },
      items() {
        const shown = [];
        if (seen.has('timers')) {
          const list = [...timers].sort((a, b) => a[1].due - b[1].due || Number(a[0]) - Number(b[0]));
          shown.push([
            'timers',
            list.map(([number, timer]) => {
              const of = timer.interval ? ' (interval ' + timer.interval + ')' : '';
              return 'timer ' + number + of + ', due at ' + duration(timer.due);
            }),
          ]);
        }
        if (seen.has('immediates')) {
          shown.push(['immediates, for the check phase', immediates.map((id) => 'callback ' + id)]);
        }
        if (seen.has('sockets')) {
          shown.push(['sockets watched', sockets.map((id) => 'the socket of callback ' + id)]);
        }
        shown.push([
          'callbacks ready to run',
          ready
            .map((id) => 'callback ' + id)
            .concat(deferred.map((id) => 'callback ' + id + ', deferred to the next pending phase')),
        ]);
        if (seen.has('tasks')) shown.push(['tasks woken, to be polled', woken.map((id) => 'task ' + id)]);
        return shown;
      },
    };
  }

  // The steps of the run that `text`, a trace file, records.
  function steps(text) {
    const { threads, events } = read(text);
    const main = events.some((event) => event.thread === 'main') ? 'main' : threads[0];
    const run = { threads, events, main };
    const tasks = poolTasks(run);
    const queues = markedQueues();
    const result = [];
    for (const event of events) {
      queues.apply(event);
      if (event.end !== null) continue;
      result.push({
        time: duration(event.start),
        thread: event.thread,
        what: event.name,
        printed: event.printed ? '[' + event.thread + '] ' + event.name : null,
        tick: tickAt(run, event.start),
        phase: phaseAt(run, event.start),
        doing: threads.map((thread) => [thread, doingAt(run, thread, event.start)]),
        queues: [...queues.items(), ['tasks in the pool', poolQueue(tasks, event.start)]],
      });
    }
    return result;
  }

  exports.steps = steps;
})(typeof module === 'object' && module.exports ? module.exports : (window.ReplayEngine = {}));
