// replay.js: the interactive replays on the page "Replay: step through the
// demo" (replay.md). Each steps through a recorded run, one step at a
// time, and shows for each step what every thread is doing, the loop's
// tick and phase, what waits in each queue, and the output printed so far.
//
// Data: window.DEMO_RUN, set by demo-run.js (made by `cargo run -p timeline
// -- record`): an array of steps, each {time, thread, what, printed, tick,
// phase, pending (how many callbacks wait for an event), doing: [[thread,
// what it does]], queues: [[queue, [items]]]}.
// Threads, queues and the number of steps all come from the data.
//
// A reader's own trace: a file picked in #replay-file, or dropped on
// #replay, becomes steps through window.ReplayEngine (engine.js), in the
// page; nothing leaves the reader's machine. #replay-demo goes back to the
// demo's recorded run, and #replay-source says which run is shown.
//
// Two runs side by side: #compare-a and #compare-b are replays of the same
// make, each empty until the reader picks a trace for it, and
// #compare-verdict says where their outputs part.
//
// Keys, while #replay (or a button in it) has the focus: ArrowRight or n,
// the next step; ArrowLeft or p, the step before; Home, the first; End, the
// last. They go no further than #replay, so mdBook does not turn the page.
(function () {
  'use strict';

  // One replay: the elements whose ids begin with `prefix` ('replay-' for
  // the page's main one, whose element is #replay), showing `demo`'s steps
  // at first if given. `onShow(steps)` is told each run it shows. Returns
  // nothing: the replay lives in its elements.
  function attach(prefix, demo, onShow) {
    const root = document.getElementById(prefix.slice(0, -1));
    if (!root) return;

    const byId = (name) => document.getElementById(prefix + name);
    const buttons = {
      first: byId('first'),
      back: byId('back'),
      next: byId('next'),
      last: byId('last'),
    };
    const shown = {
      step: byId('step'),
      time: byId('time'),
      log: byId('log'),
      busy: byId('busy'),
      phase: byId('phase'),
      phases: byId('phases'),
      pending: byId('pending'),
      queues: byId('queues'),
      output: byId('output'),
      source: byId('source'),
      fileStatus: byId('file-status'),
    };
    const fileInput = byId('file');
    const demoButton = byId('demo');

    // The elements the replay cannot do without; #replay-phases and
    // #replay-output are extras.
    const REQUIRED = ['first', 'back', 'next', 'last', 'step', 'time', 'log', 'busy', 'phase', 'queues'];

    let steps = demo || [];
    let phases = []; // the loop's phases, from loopPhases() once the data is checked
    let current = 0;

    // A new element, with a class and text if given. Never innerHTML: the
    // text comes from the data.
    function make(tag, className, text) {
      const element = document.createElement(tag);
      if (className) element.className = className;
      if (text !== undefined) element.textContent = text;
      return element;
    }

    function clear(element) {
      if (element) element.replaceChildren();
    }

    // A thread is busy unless what it does says it is idle, asleep, waits,
    // or has not started or has stopped.
    function isBusy(doing) {
      return !/\b(idle|asleep|waits|starting|stopped)\b/i.test(doing);
    }

    // The loop's phases, in the order the run first enters them.
    function loopPhases() {
      const phases = [];
      for (const step of steps) {
        if (/ phase$/.test(step.phase) && !phases.includes(step.phase)) phases.push(step.phase);
      }
      return phases;
    }

    function renderNow(step, index) {
      shown.step.textContent = 'Step ' + (index + 1) + ' of ' + steps.length;
      shown.time.textContent = step.time + ' into the run';
      clear(shown.log);
      if (step.printed) {
        shown.log.append(make('span', 'replay-label', 'Printed: '), make('code', 'replay-printed', step.printed));
      } else {
        shown.log.append(
          make('span', 'replay-label', 'Nothing printed: '),
          make('span', 'replay-what', 'the ' + step.thread + ' thread — ' + step.what)
        );
      }
    }

    function renderThreads(step) {
      clear(shown.busy);
      for (const [thread, doing] of step.doing || []) {
        const busy = isBusy(doing);
        const row = make('li', 'replay-thread ' + (busy ? 'is-busy' : 'is-idle'));
        if (thread === step.thread) row.classList.add('is-here');
        row.append(
          make('span', 'replay-thread-name', thread),
          make('span', 'replay-thread-doing', doing),
          make('span', 'replay-badge', busy ? 'busy' : 'idle')
        );
        if (thread === step.thread) row.append(make('span', 'replay-here', '◀ this step'));
        shown.busy.append(row);
      }
    }

    function renderPhase(step) {
      const tick = step.tick > 0 ? 'Tick ' + step.tick : 'No tick yet';
      shown.phase.textContent = tick + ' · ' + step.phase;
      if (shown.pending && typeof step.pending === 'number') {
        const callbacks = step.pending === 1 ? ' callback waits' : ' callbacks wait';
        shown.pending.textContent = step.pending + callbacks + ' for an event: the loop goes on while any do.';
      } else if (shown.pending) {
        shown.pending.textContent = ''; // a trace does not record it
      }
      if (!shown.phases) return;
      clear(shown.phases);
      phases.forEach((phase, at) => {
        if (at > 0) shown.phases.append(make('span', 'replay-arrow', '→'));
        const pill = make('span', 'replay-pill', phase.replace(/ phase$/, ''));
        if (phase === step.phase) pill.classList.add('is-now');
        shown.phases.append(pill);
      });
    }

    // What the queue called `name` held at the step before, to mark what is
    // new; at the first step, nothing is new.
    function itemsBefore(index, name, items) {
      if (index === 0) return new Set(items);
      const queue = (steps[index - 1].queues || []).find(([queueName]) => queueName === name);
      return new Set(queue ? queue[1] : []);
    }

    function renderQueues(step, index) {
      clear(shown.queues);
      for (const [name, items = []] of step.queues || []) {
        const box = make('div', 'replay-queue');
        const title = make('div', 'replay-queue-name', name + ' ');
        title.append(make('span', 'replay-count', String(items.length)));
        box.append(title);
        if (items.length === 0) {
          box.append(make('div', 'replay-empty', 'empty'));
        } else {
          const before = itemsBefore(index, name, items);
          const list = make('ul', 'replay-items');
          for (const item of items) {
            const entry = make('li', before.has(item) ? '' : 'is-new', item);
            if (!before.has(item)) entry.title = 'new at this step';
            list.append(entry);
          }
          box.append(list);
        }
        shown.queues.append(box);
      }
    }

    // The lines printed so far, the current step's highlighted, scrolled to
    // the end: the last line shown is always the newest.
    function renderOutput(index) {
      const box = shown.output;
      if (!box) return;
      clear(box);
      for (let at = 0; at <= index; at++) {
        const printed = steps[at].printed;
        if (!printed) continue;
        box.append(make('div', at === index ? 'replay-line is-now' : 'replay-line', printed));
      }
      if (!box.firstChild) box.append(make('div', 'replay-line replay-nothing-yet', '(nothing printed yet)'));
      box.scrollTop = box.scrollHeight;
    }

    // Disables a button, first moving the focus off it if it has it, so that
    // the keys still reach #replay.
    function setEnabled(button, on) {
      if (!on && document.activeElement === button) root.focus({ preventScroll: true });
      button.disabled = !on;
    }

    function render() {
      if (steps.length === 0) return; // a pane with no trace yet
      const step = steps[current];
      renderNow(step, current);
      renderThreads(step);
      renderPhase(step);
      renderQueues(step, current);
      renderOutput(current);
      setEnabled(buttons.first, current > 0);
      setEnabled(buttons.back, current > 0);
      setEnabled(buttons.next, current < steps.length - 1);
      setEnabled(buttons.last, current < steps.length - 1);
      root.dataset.step = String(current);
    }

    function go(step) {
      if (steps.length === 0) return;
      current = Math.max(0, Math.min(steps.length - 1, step));
      render();
    }

    function onKey(event) {
      if (event.ctrlKey || event.altKey || event.metaKey || event.isComposing) return;
      let target;
      switch (event.key) {
        case 'ArrowRight':
        case 'n':
          target = current + 1;
          break;
        case 'ArrowLeft':
        case 'p':
          target = current - 1;
          break;
        case 'Home':
          target = 0;
          break;
        case 'End':
          target = steps.length - 1;
          break;
        default:
          return; // Space, Enter, Tab and the rest keep their usual meaning
      }
      event.preventDefault();
      event.stopPropagation(); // mdBook's own ArrowLeft/ArrowRight would turn the page
      go(target);
    }

    function onClick(target) {
      return function () {
        go(target());
        // Some browsers do not focus a clicked button: keep the keys working.
        if (!root.contains(document.activeElement)) root.focus({ preventScroll: true });
      };
    }

    // Without steps, a visible message instead of an empty display.
    function failVisibly(message) {
      root.classList.add('replay-failed');
      root.prepend(make('p', 'replay-error', message));
      for (const button of Object.values(buttons)) if (button) button.disabled = true;
      root.dataset.steps = '0';
    }

    // Shows another run's steps from its first, `label` saying which run.
    function show(newSteps, label) {
      steps = newSteps;
      phases = loopPhases();
      root.dataset.steps = String(steps.length);
      if (shown.source) shown.source.textContent = label;
      if (demoButton) demoButton.hidden = !demo || steps === demo;
      go(0);
      if (onShow) onShow(steps);
    }

    function say(message) {
      if (shown.fileStatus) shown.fileStatus.textContent = message;
    }

    // Reads a trace file the reader gave, and shows its run; a file that is
    // no trace leaves the run shown as it was, and says why.
    function open(file) {
      if (!file) return;
      if (!window.ReplayEngine) {
        say('The replay cannot read files: replay/engine.js did not load.');
        return;
      }
      const reader = new FileReader();
      reader.onload = () => {
        try {
          const run = window.ReplayEngine.steps(String(reader.result));
          if (run.length === 0) throw new Error('This trace has no steps.');
          show(run, 'Your trace: ' + file.name);
          say('');
          root.focus({ preventScroll: true });
        } catch (error) {
          say('Cannot replay ' + file.name + ': ' + error.message);
        }
      };
      reader.onerror = () => say('Cannot read ' + file.name + '.');
      reader.readAsText(file);
    }

    function acceptFiles() {
      if (fileInput) {
        fileInput.addEventListener('change', () => {
          open(fileInput.files[0]);
          // Emptied, so that picking the same file again, once it is
          // mended or after another, reads it again.
          fileInput.value = '';
        });
      }
      root.addEventListener('dragover', (event) => {
        event.preventDefault();
        root.classList.add('is-dropping');
      });
      root.addEventListener('dragleave', () => root.classList.remove('is-dropping'));
      root.addEventListener('drop', (event) => {
        event.preventDefault();
        root.classList.remove('is-dropping');
        open(event.dataTransfer && event.dataTransfer.files[0]);
      });
      if (demoButton) {
        demoButton.addEventListener('click', () => {
          show(demo, "The demo's recorded run");
          say('');
        });
      }
    }

    function start() {
      if (demo !== null && (!Array.isArray(demo) || demo.length === 0)) {
        failVisibly('The replay has no steps to show: replay/demo-run.js did not load, or is empty. ' +
          'Make it with: cargo run -p timeline -- record, then build the book again.');
        return;
      }
      const missing = REQUIRED.filter((name) => !byId(name)).map((name) => '#' + prefix + name);
      if (missing.length > 0) {
        failVisibly('The replay cannot start: the page lacks ' + missing.join(', ') + '.');
        return;
      }
      root.addEventListener('keydown', onKey);
      buttons.first.addEventListener('click', onClick(() => 0));
      buttons.back.addEventListener('click', onClick(() => current - 1));
      buttons.next.addEventListener('click', onClick(() => current + 1));
      buttons.last.addEventListener('click', onClick(() => steps.length - 1));
      acceptFiles();
      if (demo) {
        show(demo, "The demo's recorded run");
      } else {
        // A pane for a reader's trace, empty until they pick one.
        root.dataset.steps = '0';
        root.dataset.step = '0';
        if (shown.source) shown.source.textContent = 'No trace yet: pick one.';
        for (const button of Object.values(buttons)) button.disabled = true;
      }
    }

    start();
  }

  // The first line where two runs' outputs differ, in words.
  function compareOutputs(a, b) {
    const printed = (steps) => steps.filter((step) => step.printed).map((step) => step.printed);
    const [left, right] = [printed(a), printed(b)];
    const at = left.findIndex((line, index) => line !== right[index]);
    if (at < 0 && left.length === right.length) {
      return 'The two runs printed the same ' + left.length + ' lines, in the same order.';
    }
    const index = at < 0 ? left.length : at;
    const say = (line) => (line === undefined ? 'nothing more' : '"' + line + '"');
    return 'The two runs print the same first ' + index + ' lines; then A prints ' + say(left[index]) +
      ' where B prints ' + say(right[index]) + '.';
  }

  attach('replay-', window.DEMO_RUN);

  // Two runs side by side: panes A and B, each with its own file, steps and
  // keys, and under them where their outputs part.
  const runs = {};
  const verdict = document.getElementById('compare-verdict');
  function compared(name) {
    return (steps) => {
      runs[name] = steps;
      if (verdict && runs.a && runs.b) verdict.textContent = compareOutputs(runs.a, runs.b);
    };
  }
  attach('compare-a-', null, compared('a'));
  attach('compare-b-', null, compared('b'));
})();
