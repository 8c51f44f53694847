// replay-check.mjs: the replay's engine (book/src/replay/engine.js) on
// real runs. For each pair of files given, a trace that a program wrote
// with --trace and what that run printed, it checks that the engine makes
// steps from the trace, that every step has its threads (each thread of
// the trace, with what it does), a phase and its queues, and that the
// lines printed by the last step are the lines the run printed, in order,
// line for line (up to the line saying where the trace went: what comes
// after it is printed once the trace is written); and that when the loop
// ends, every queue is empty, as it is in the runtime.
//
//   node book/check/replay-check.mjs TRACE OUTPUT [TRACE OUTPUT ...]
//
// .ci/run records every stage's demo and gives them all. Exit status: 0
// when everything holds, 1 with the list of failures otherwise.

import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const engine = require('../src/replay/engine.js');

const args = process.argv.slice(2);
if (args.length === 0 || args.length % 2 !== 0) {
  console.error('usage: node book/check/replay-check.mjs TRACE OUTPUT [TRACE OUTPUT ...]');
  process.exit(1);
}

const failures = [];

function check(tracePath, outputPath) {
  const before = failures.length;
  const fail = (what) => failures.push(`${tracePath}: ${what}`);
  let steps;
  try {
    steps = engine.steps(fs.readFileSync(tracePath, 'utf8'));
  } catch (error) {
    fail(`the engine refused it: ${error.message}`);
    return;
  }
  if (steps.length === 0) fail('no steps');
  const threads = JSON.parse(fs.readFileSync(tracePath, 'utf8'))
    .traceEvents.filter((event) => event.ph === 'M')
    .map((event) => event.args.name);
  steps.forEach((step, at) => {
    const shown = (step.doing || []).map(([thread]) => thread);
    if (shown.length !== threads.length || !threads.every((thread) => shown.includes(thread))) {
      fail(`step ${at + 1} shows the threads ${shown.join(', ')}, not ${threads.join(', ')}`);
    }
    if ((step.doing || []).some(([, doing]) => typeof doing !== 'string' || doing === '')) {
      fail(`step ${at + 1} has a thread doing nothing it can say`);
    }
    if (typeof step.phase !== 'string' || step.phase === '') fail(`step ${at + 1} has no phase`);
    if (!Array.isArray(step.queues) || step.queues.length === 0) fail(`step ${at + 1} has no queues`);
  });
  // When the loop ends, nothing waits: a queue that still holds something
  // there lacks a mark that takes it out.
  const end = steps.find((step) => step.printed === '[main] nothing is pending: the loop ends');
  for (const [queue, items] of end ? end.queues : []) {
    if (items.length > 0) fail(`when the loop ends, "${queue}" still holds ${items.join('; ')}`);
  }
  const used = new Set();
  for (const step of steps) for (const [queue, items] of step.queues || []) if (items.length > 0) used.add(queue);
  const printed = steps.filter((step) => step.printed).map((step) => step.printed);
  const lines = fs.readFileSync(outputPath, 'utf8').split('\n');
  const written = lines.findIndex((line) => line.startsWith('[main] wrote the trace to '));
  const ran = lines.slice(0, written < 0 ? lines.length : written).filter((line) => line !== '');
  const differs = printed.findIndex((line, at) => line !== ran[at]);
  if (differs >= 0 || printed.length !== ran.length) {
    const at = differs >= 0 ? differs : Math.min(printed.length, ran.length);
    fail(
      `the output at the last step differs from the run's at line ${at + 1}: ` +
        `${JSON.stringify(printed[at])} where the run printed ${JSON.stringify(ran[at])}`
    );
  }
  if (failures.length === before) {
    const queues = used.size > 0 ? [...used].join(', ') : 'none';
    console.log(
      `ok    ${tracePath}: ${steps.length} steps, ${printed.length} lines, as the run printed them; ` +
        `queues that held something: ${queues}`
    );
  } else {
    console.log(`FAIL  ${tracePath}`);
  }
}

for (let at = 0; at < args.length; at += 2) check(args[at], args[at + 1]);

if (failures.length > 0) {
  console.error(`\n${failures.length} failure(s):\n` + failures.map((f) => `- ${f}`).join('\n'));
  process.exit(1);
}
