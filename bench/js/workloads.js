// The Node.js side of each workload: the same work as bench/src/ours.rs.
// Usage: node workloads.js <workload> <size> [file or url]
'use strict';
const fs = require('fs');
const http = require('http');
const { random, report, fail } = require('./common.js');

const [name, sizeText, target] = process.argv.slice(2);
const size = Number(sizeText);
const start = performance.now();
const elapsed = () => performance.now() - start;

// Counts each callback's runs; `done` reports once all have run once.
function counter(onAllDone) {
  const runs = new Uint32Array(size);
  let finished = 0;
  return (index) => {
    runs[index] += 1;
    if (runs[index] > 1) return fail(`callback ${index} ran twice`);
    finished += 1;
    if (finished === size) onAllDone();
  };
}

const workloads = {
  'timers-random'() {
    const next = random(7);
    const ran = counter(() => report({ time_ms: elapsed().toFixed(2) }));
    for (let i = 0; i < size; i++) setTimeout(() => ran(i), next() % 101);
  },

  // ANCHOR: timers_zero
  'timers-zero'() {
    const ran = counter(() => report({ time_ms: elapsed().toFixed(2) }));
    for (let i = 0; i < size; i++) setTimeout(() => ran(i), 0);
  },
  // ANCHOR_END: timers_zero

  reads() {
    const expected = fs.readFileSync(target, 'utf8');
    let failures = 0;
    let firstError = '';
    const ran = counter(() => {
      if (failures > 0) return fail(`${failures}_of_${size}_reads_failed:_${firstError}`);
      report({ time_ms: elapsed().toFixed(2) });
    });
    for (let i = 0; i < size; i++) {
      fs.readFile(target, 'utf8', (error, text) => {
        if (error) { failures += 1; firstError = firstError || error.code; }
        else if (text !== expected) return fail(`read ${i} gave the wrong text`);
        ran(i);
      });
    }
  },

  http() {
    const ran = counter(() => report({ time_ms: elapsed().toFixed(2) }));
    for (let i = 0; i < size; i++) {
      // No keep-alive: one connection per request, as on the Rust side.
      const request = http.get(`${target}/item/${i}`, { agent: false }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => { body += chunk; });
        response.on('end', () => {
          if (body !== `item ${i}\n`) return fail(`request ${i} got ${JSON.stringify(body)}`);
          ran(i);
        });
      });
      request.on('error', (error) => fail(`request ${i}: ${error.code}`));
    }
  },

  lateness() {
    const late = [];
    const ran = counter(() => {
      late.sort((a, b) => a - b);
      const at = (q) => late[Math.min(late.length - 1, Math.floor(q * late.length))];
      report({
        time_ms: elapsed().toFixed(2),
        p50_ms: at(0.5).toFixed(3), p99_ms: at(0.99).toFixed(3), max_ms: late[late.length - 1].toFixed(3),
      });
    });
    for (let i = 0; i < size; i++) {
      // Due `delay` after it is set.
      const delay = Math.floor((i * 1000) / size);
      const due = performance.now() + delay;
      setTimeout(() => { late.push(performance.now() - due); ran(i); }, delay);
    }
  },

  // Each async function is a task, waiting for a promise of its own; one
  // timer's callback resolves them all.
  wake() {
    const ran = counter(() => report({ time_ms: elapsed().toFixed(2) }));
    const resolvers = [];
    for (let i = 0; i < size; i++) {
      (async () => {
        await new Promise((resolve) => resolvers.push(resolve));
        ran(i);
      })();
    }
    setTimeout(() => { for (const resolve of resolvers) resolve(); }, 0);
  },
};

if (!workloads[name]) fail(`no workload ${name}`);
else workloads[name]();
