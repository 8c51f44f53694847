// engine-test.mjs: the replay's engine (book/src/replay/engine.js) on
// small traces written by hand, one for each way a queue changes, some of
// which the recorded runs in CI never take (a budget used up, a wake-up
// of a task that is done, an interval cleared after it was armed again).
// Each case lists the marks, in order, and what a queue holds after the
// last one.
//
//   node book/check/engine-test.mjs
//
// Exit status: 0 when every case holds, 1 with the failures otherwise.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const engine = require('../src/replay/engine.js');

// A trace of the main thread: each name an instant, 10 us apart, and a
// log line first (the engine refuses a trace without one). A name given
// as [name, duration] is a slice.
function trace(names) {
  const events = [{ name: 'thread_name', ph: 'M', pid: 1, tid: 1, args: { name: 'main' } }];
  events.push({ name: 'the program starts', cat: 'log', ph: 'i', s: 't', pid: 1, tid: 1, ts: 0 });
  names.forEach((name, at) => {
    const ts = 10 * (at + 1);
    if (Array.isArray(name)) events.push({ name: name[0], ph: 'X', pid: 1, tid: 1, ts, dur: name[1] });
    else events.push({ name, ph: 'i', s: 't', pid: 1, tid: 1, ts });
  });
  return JSON.stringify({ traceEvents: events });
}

const cases = [
  {
    what: 'an interval cleared by its first number takes its later firing away',
    marks: [
      'timer 1 set, due at 1000 us',
      'timer 1 fired',
      'interval 1 armed again as timer 2, due at 2000 us',
      'timer 1 cleared',
    ],
    queue: 'timers',
    holds: [],
  },
  {
    what: 'timers soonest first, a later firing naming its interval',
    marks: [
      'timer 1 set, due at 5000 us',
      'timer 2 set, due at 1000 us',
      'timer 2 fired',
      'interval 2 armed again as timer 3, due at 2000 us',
    ],
    queue: 'timers',
    holds: ['timer 3 (interval 2), due at 2.0 ms', 'timer 1, due at 5.0 ms'],
  },
  {
    what: 'a socket leaves when its callback is ready, deferred or taken away',
    marks: [
      'watching socket 1',
      'watching socket 2',
      'watching socket 3',
      'watching socket 4',
      'callback 1 ready',
      'callback 2 deferred',
      'callback 3 taken away',
    ],
    queue: 'sockets watched',
    holds: ['the socket of callback 4'],
  },
  {
    what: 'callbacks that run in this phase first, then the deferred',
    marks: ['callback 1 deferred', 'callback 2 ready', 'callback 3 ready, first in line'],
    queue: 'callbacks ready to run',
    holds: ['callback 3', 'callback 2', 'callback 1, deferred to the next pending phase'],
  },
  {
    what: 'a phase that used up its budget defers the callbacks still ready',
    marks: ['callback 1 ready', 'callback 2 ready', 'callback 1 runs', 'callback 2 deferred'],
    queue: 'callbacks ready to run',
    holds: ['callback 2, deferred to the next pending phase'],
  },
  {
    what: 'a deferred callback leaves when it runs',
    marks: ['callback 1 deferred', 'callback 2 deferred', 'callback 1 runs'],
    queue: 'callbacks ready to run',
    holds: ['callback 2, deferred to the next pending phase'],
  },
  {
    what: 'an immediate leaves when its callback is ready, or is taken away',
    marks: ['immediate 1 set', 'immediate 2 set', 'immediate 3 set', 'callback 1 ready', 'callback 3 taken away'],
    queue: 'immediates, for the check phase',
    holds: ['callback 2'],
  },
  {
    what: 'a task leaves the woken when polled, or passed over when done',
    marks: ['task 1 woken', 'task 2 woken', 'task 3 woken', ['task 1', 5], 'task 2 passed over: it is done'],
    queue: 'tasks woken, to be polled',
    holds: ['task 3'],
  },
  {
    what: 'a task woken again while it is polled is queued again',
    // Woken again after the loop took it out, before its poll began.
    marks: ['task 1 woken', 'task 1 woken', ['task 1', 5], 'stopped'],
    queue: 'tasks woken, to be polled',
    holds: ['task 1'],
  },
  {
    what: 'a queue no mark uses is not shown',
    marks: ['callback 1 ready', 'callback 1 taken away'],
    queue: 'sockets watched',
    holds: null,
  },
];

const failures = [];
for (const { what, marks, queue, holds } of cases) {
  const steps = engine.steps(trace(marks));
  const queues = new Map(steps[steps.length - 1].queues);
  const got = queues.has(queue) ? queues.get(queue) : null;
  if (JSON.stringify(got) === JSON.stringify(holds)) {
    console.log(`ok    ${what}`);
  } else {
    console.log(`FAIL  ${what}`);
    failures.push(`${what}: "${queue}" holds ${JSON.stringify(got)}, not ${JSON.stringify(holds)}`);
  }
}
if (failures.length > 0) {
  console.error(`\n${failures.length} failure(s):\n` + failures.map((f) => `- ${f}`).join('\n'));
  process.exit(1);
}
