// browser-check.mjs: open every page of the BUILT book in a real browser and
// check what a reader would meet there.
//
//   cd /work/main && mdbook build book
//   node --experimental-websocket book/check/browser-check.mjs book/book [--screenshot replay.png]
//
// On every page: it loads, with no console error and no uncaught exception; no
// link is broken (same-site files and #fragments exist); every image shows; no
// code block is empty; no `{{#...}}` include was left unresolved. On the replay
// page (replay.html, required) it also drives the interactive replay with real
// key presses and a real mouse click, over http and from a file:// URL, and
// with --screenshot it saves a PNG of the replay at a middle step. With
// --trace TRACE OUTPUT (any number of times), it also gives each trace to
// the replay page's file input, as a reader picks one, and checks that the
// page shows it, steps through it with the keys, and prints by its last
// step what the run printed (OUTPUT), line for line; that a file that is
// no trace is refused in words; and that "Back to the demo" works. The
// last two traces given are then shown side by side, in the page's two
// panes: each steps with its own keys, and the page says, as OUTPUTs
// show, where the two runs' outputs part.
//
// The exercises' answers are folded away in the listings (tools/fold-answers
// puts each body in a <details class="answer">). On every page that has such
// folds, each one must be closed when the page loads, its code out of sight;
// one real mouse click on its summary must open it and show its code, which
// must not be empty. Every stage from stage 2 on (N >= 2: each has an
// exercise) must have at least one fold on its page, chapter-N.html, or on
// the pages under it, chapter-N-*.html. And no folded
// answer may be in the search index.
//
// Exit status: 0 when everything holds, 1 with the list of failures otherwise.
//
// No npm packages: Node's standard library, plus the WebSocket class that
// --experimental-websocket turns on. The browser is Debian's chromium, headless,
// driven through the Chrome DevTools Protocol (CDP): JSON messages over a
// WebSocket, each a method call ({id, method, params}) answered by {id, result},
// or an event the browser sends on its own ({method, params}).

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const OVERALL_DEADLINE_MS = 5 * 60_000; // the whole run
const PAGE_DEADLINE_MS = 20_000;        // loading and inspecting one page
const REPLAY_DEADLINE_MS = 60_000;      // the replay checks: a few round trips per step
const ANSWERS_DEADLINE_MS = 60_000;     // the folded answers' checks: a click per fold
const SETTLE_MS = 300;                  // after the load event, for late scripts to run
const VIEWPORT = { width: 1280, height: 900, deviceScaleFactor: 1, mobile: false };
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// ---- Command line, and the state the cleanup needs -------------------------

const die = (message) => { console.error(message); process.exit(1); };
const args = process.argv.slice(2);
// --trace TRACE OUTPUT, any number of times: traces that programs wrote
// with --trace, and what each run printed, to open in the replay page
// through its file input, as a reader does.
const ownTraces = [];
for (let at = args.indexOf('--trace'); at >= 0; at = args.indexOf('--trace')) {
  const [, trace, output] = args.splice(at, 3);
  if (!trace || !output) die('--trace takes two files: a trace, and what its run printed');
  ownTraces.push({ trace: path.resolve(trace), output: path.resolve(output) });
}
const shotIndex = args.indexOf('--screenshot');
const screenshotPath = shotIndex >= 0 ? args.splice(shotIndex, 2)[1] : null;
if (args.length !== 1 || (shotIndex >= 0 && !screenshotPath)) {
  die('usage: node --experimental-websocket book/check/browser-check.mjs BUILD_DIR [--screenshot PATH] [--trace TRACE OUTPUT]...');
}
if (typeof WebSocket !== 'function') die('This script needs WebSocket: run it with node --experimental-websocket.');
const root = path.resolve(args[0]);
if (!fs.existsSync(path.join(root, 'index.html'))) die(`${root} has no index.html: build the book first (mdbook build book).`);
let screenshotTaken = false;

const failures = [];       // "where: what is wrong"
const external = new Set(); // links to other sites: listed, never fetched (no network)
const fail = (where, what) => failures.push(`${where}: ${what}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Chromium's profile lives in a fresh temporary directory; chromium runs in a
// process group of its own (detached), so that killing the group also ends the
// helper processes it starts (zygote, renderers, GPU process).
const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'browser-check-'));
let chromium = null;
let cleanedUp = false;
function cleanup() {
  if (cleanedUp) return;
  cleanedUp = true;
  if (chromium) try { process.kill(-chromium.pid, 'SIGKILL'); } catch { /* already gone */ }
  fs.rmSync(profileDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
}
process.on('exit', cleanup); // runs on every way out, failure included
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => { console.error(`stopped by ${signal}`); process.exit(1); });
}
// Fails the promise if it has not settled within ms, so nothing waits forever.
function withDeadline(promise, ms, what) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not done within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

// ---- Files of the build directory, and a static server like `mdbook serve` --

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.woff2': 'font/woff2', '.json': 'application/json', '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

// The file an absolute path names inside the build directory (a directory
// stands for its index.html), or null if there is none or it lies outside.
function fileInBook(absolute) {
  if (absolute !== root && !absolute.startsWith(root + path.sep)) return null;
  try {
    const file = fs.statSync(absolute).isDirectory() ? path.join(absolute, 'index.html') : absolute;
    return fs.statSync(file).isFile() ? file : null;
  } catch { return null; }
}
// The same for a URL: http(s) ones are served from the root, file: ones are paths.
function fileForUrl(url) {
  try {
    if (url.protocol === 'file:') return fileInBook(fileURLToPath(url));
    return fileInBook(path.join(root, decodeURIComponent(url.pathname)));
  } catch { return null; } // malformed percent-encoding
}

function startServer() {
  const server = http.createServer((request, response) => {
    const file = fileForUrl(new URL(request.url, 'http://127.0.0.1'));
    if (!file) { response.writeHead(404, { 'content-type': TYPES['.txt'] }); response.end('not found\n'); return; }
    response.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    // (the file may vanish under us if the book is rebuilt meanwhile: cut the answer short)
    fs.createReadStream(file).on('error', () => response.destroy()).pipe(response);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

// The ids a page's HTML defines (and the names of <a name=...>), read from
// disk: what a #fragment pointing into that page can land on.
const idCache = new Map();
function idsIn(file) {
  if (!idCache.has(file)) {
    const html = fs.readFileSync(file, 'utf8');
    const ids = new Set();
    const value = '\\s*=\\s*("[^"]*"|\'[^\']*\'|[^\\s"\'<>]+)';
    for (const re of [new RegExp(`<[a-zA-Z][^<>]*?\\sid${value}`, 'g'), new RegExp(`<a\\s[^<>]*?\\bname${value}`, 'gi')]) {
      for (const m of html.matchAll(re)) ids.add(decodeEntities(m[1].replace(/^["']|["']$/g, '')));
    }
    idCache.set(file, ids);
  }
  return idCache.get(file);
}
function decodeEntities(text) { // the entities an id attribute, or code, may hold
  const named = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return text.replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (whole, name) => name[0] !== '#' ? named[name] ?? whole
    : String.fromCodePoint(name[1] === 'x' ? parseInt(name.slice(2), 16) : Number(name.slice(1))));
}

// ---- A small CDP client -------------------------------------------------------

// One WebSocket to the browser carries every tab's messages too ("flatten"
// sessions): a tab's messages carry its sessionId.
class Cdp {
  static connect(url) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.addEventListener('open', () => resolve(new Cdp(ws)));
      ws.addEventListener('error', () => reject(new Error(`cannot connect to chromium at ${url}`)));
    });
  }
  constructor(ws) {
    this.ws = ws;
    this.nextId = 1;
    this.pending = new Map();    // id -> { resolve, reject, method }
    this.listeners = new Set();  // called with every event
    ws.addEventListener('message', (event) => this.receive(JSON.parse(event.data)));
    ws.addEventListener('close', () => {
      for (const call of this.pending.values()) call.reject(new Error(`${call.method}: chromium closed the connection`));
      this.pending.clear();
    });
  }
  receive(message) {
    if (message.id === undefined) { for (const listener of this.listeners) listener(message); return; }
    const call = this.pending.get(message.id);
    this.pending.delete(message.id);
    if (!call) return;
    if (message.error) call.reject(new Error(`${call.method}: ${message.error.message}`));
    else call.resolve(message.result);
  }
  send(method, params = {}, sessionId = undefined) {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ id, method, params, sessionId }));
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject, method }));
  }
}

const KEYS = { ArrowRight: ['ArrowRight', 39], ArrowLeft: ['ArrowLeft', 37], Home: ['Home', 36], End: ['End', 35], n: ['KeyN', 78], p: ['KeyP', 80] };

// One browser tab, with what it has logged: console errors, uncaught
// exceptions, and the browser's own error entries (a script or image that
// failed to load: 404, ERR_FILE_NOT_FOUND). Nothing is filtered out.
class Tab {
  static async open(cdp) {
    const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
    const tab = new Tab(cdp, targetId, sessionId);
    for (const domain of ['Page', 'Runtime', 'Log']) await tab.send(`${domain}.enable`);
    await tab.send('Page.setLifecycleEventsEnabled', { enabled: true });
    await tab.send('Emulation.setDeviceMetricsOverride', VIEWPORT);
    await tab.send('Emulation.setFocusEmulationEnabled', { enabled: true }); // focus as in a foreground window
    return tab;
  }
  constructor(cdp, targetId, sessionId) {
    Object.assign(this, { cdp, targetId, sessionId, errors: [], navigations: [], loads: new Set(), onLoad: null });
    this.listener = (message) => { if (message.sessionId === sessionId) this.event(message.method, message.params); };
    cdp.listeners.add(this.listener);
  }
  send(method, params = {}) { return this.cdp.send(method, params, this.sessionId); }
  event(method, params) {
    if (method === 'Runtime.consoleAPICalled' && (params.type === 'error' || params.type === 'assert')) {
      this.errors.push(`console.error: ${params.args.map((a) => a.value ?? a.description ?? a.type).join(' ')}`);
    } else if (method === 'Runtime.exceptionThrown') {
      const d = params.exceptionDetails;
      const what = (d.exception?.description ?? d.text).split('\n')[0]; // the message, not the stack
      this.errors.push(`uncaught exception: ${what} (${d.url ?? '?'}:${d.lineNumber + 1})`);
    } else if (method === 'Log.entryAdded' && params.entry.level === 'error') {
      this.errors.push(`browser error (${params.entry.source}): ${params.entry.text} ${params.entry.url ?? ''}`.trim());
    } else if (method === 'Page.lifecycleEvent' && params.name === 'load') {
      // The "load" lifecycle event is Page.loadEventFired tagged with its
      // navigation's loaderId: no mistaking about:blank's load for the page's.
      this.loads.add(params.loaderId);
      this.onLoad?.();
    } else if (method === 'Page.frameRequestedNavigation' || (method === 'Page.frameNavigated' && !params.frame.parentId)) {
      this.navigations.push(params.url ?? params.frame.url);
    }
  }
  async load(url) {
    const loaded = new Promise((resolve) => { this.onLoad = () => this.loads.has(this.loaderId) && resolve(); });
    const { errorText, loaderId } = await this.send('Page.navigate', { url });
    if (errorText) throw new Error(`cannot open ${url}: ${errorText}`);
    this.loaderId = loaderId;
    this.onLoad();
    await loaded;
    await sleep(SETTLE_MS);
  }
  async evaluate(expression) {
    const { result, exceptionDetails } = await this.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
    if (exceptionDetails) throw new Error(`in-page check failed: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
    return result.value;
  }
  async press(key) { // a real key press, as the keyboard would send it
    const [code, keyCode] = KEYS[key];
    const text = key.length === 1 ? key : undefined;
    const common = { key, code, windowsVirtualKeyCode: keyCode, nativeVirtualKeyCode: keyCode };
    await this.send('Input.dispatchKeyEvent', { type: text ? 'keyDown' : 'rawKeyDown', text, ...common });
    await this.send('Input.dispatchKeyEvent', { type: 'keyUp', ...common });
  }
  async click(x, y) { // a real left click at viewport coordinates
    await this.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x, y });
    for (const type of ['mousePressed', 'mouseReleased']) {
      await this.send('Input.dispatchMouseEvent', { type, x, y, button: 'left', buttons: 1, clickCount: 1 });
    }
  }
  async close() {
    this.cdp.listeners.delete(this.listener);
    await withDeadline(this.cdp.send('Target.closeTarget', { targetId: this.targetId }), 5000, 'closing a tab').catch(() => {});
  }
}

// ---- The checks on every page -------------------------------------------------

// Runs in the page: gathers its links, images, code blocks and text.
const PAGE_FACTS = `(async () => {
  // An image still loading gets up to 5 s to finish (or fail).
  const pending = [...document.images].filter((img) => !img.complete).map((img) =>
    new Promise((done) => { img.addEventListener('load', done); img.addEventListener('error', done); }));
  await Promise.race([Promise.all(pending), new Promise((done) => setTimeout(done, 5000))]);
  const where = (el) => el.closest('main') ? 'main' : el.closest('#mdbook-sidebar') ? 'sidebar' : 'page header/footer';
  let heading = '(top of the page)';
  const emptyCode = [];
  for (const el of document.querySelectorAll('main :is(h1, h2, h3, h4, h5, h6), main pre > code')) {
    if (el.matches('code')) { if (!el.textContent.trim()) emptyCode.push(heading); } else heading = el.textContent.trim();
  }
  const text = document.body.innerText;
  const include = text.indexOf('{{#');
  return {
    // (an <a> inside an inline SVG has an SVGAnimatedString for its href)
    links: [...document.querySelectorAll('a[href]')].map((a) => ({ raw: a.getAttribute('href'), where: where(a),
      url: typeof a.href === 'string' ? a.href : new URL(a.href.baseVal, document.baseURI).href })),
    images: [...document.images].map((img) => ({ src: img.getAttribute('src'), ok: img.complete && img.naturalWidth > 0 })),
    codeBlocks: document.querySelectorAll('main pre > code').length,
    answers: document.querySelectorAll('main details.answer').length,
    emptyCode,
    include: include < 0 ? null : text.slice(Math.max(0, include - 30), include + 40).replace(/\\s+/g, ' '),
    ids: [...document.querySelectorAll('[id]')].map((el) => el.id),
  };
})()`;

function checkLink(label, pageUrl, pageFile, link, liveIds) {
  const url = new URL(link.url);
  const broken = (why) => fail(label, `broken link "${link.raw}" (${link.where}): ${why}`);
  if (url.protocol === 'mailto:' || url.protocol === 'javascript:') return;
  // The one exception. mdBook gives its 404 page <base href="/">, so that the
  // page works at whatever missing address it is served for; the anchor
  // mdBook puts on that page's own heading (#document-not-found-404) then
  // points at the book's first page. It is mdBook's page, not ours, and a
  // reader there wants the links to the book, which are checked.
  if (path.basename(pageFile) === '404.html' && link.raw.startsWith('#')) return;
  const sameSite = url.protocol === 'file:' ? pageUrl.protocol === 'file:' : url.origin === pageUrl.origin;
  if (!sameSite) {
    if (url.protocol === 'http:' || url.protocol === 'https:') external.add(url.href);
    else broken(`unexpected kind of link (${url.protocol})`);
    return;
  }
  const target = fileForUrl(url);
  if (!target) return broken(`${decodeURI(url.pathname)} is not a file of the build directory`);
  if (url.hash.length <= 1 || !/\.(html?|svg)$/.test(target)) return; // no fragment, or none to check in that kind of file
  let id = url.hash.slice(1);
  try { id = decodeURIComponent(id); } catch { /* keep it as written */ }
  // A link into the same page may also land on an element its scripts made.
  if (!idsIn(target).has(id) && !(target === pageFile && liveIds.has(id))) {
    broken(`no element with id "${id}" in ${path.relative(root, target)}`);
  }
}

// Loads one page in a fresh tab and runs every check; the replay checks too
// when the page is replay.html. Prints one line about the page.
async function checkPage(cdp, label, url, { replay = false, screenshot = null } = {}) {
  const before = failures.length;
  let tab = null;
  let facts = null;
  try {
    await withDeadline((async () => {
      tab = await Tab.open(cdp);
      await tab.load(url);
      facts = await tab.evaluate(PAGE_FACTS);
    })(), PAGE_DEADLINE_MS, 'loading and inspecting the page');
    const pageUrl = new URL(url);
    const pageFile = fileForUrl(pageUrl);
    const liveIds = new Set(facts.ids);
    const seen = new Set();
    for (const link of facts.links) {
      if (!seen.has(link.url)) { seen.add(link.url); checkLink(label, pageUrl, pageFile, link, liveIds); }
    }
    for (const src of new Set(facts.images.filter((img) => !img.ok).map((img) => img.src))) fail(label, `broken image "${src}"`);
    for (const heading of facts.emptyCode) fail(label, `empty code block under "${heading}"`);
    if (facts.include) fail(label, `unresolved include in the page's text: "...${facts.include}..."`);
    const source = fs.readFileSync(pageFile, 'utf8');
    const at = source.indexOf('{{#');
    if (at >= 0) fail(label, `unresolved include in the HTML source: "${source.slice(at, at + 50).split('\n')[0]}"`);
    if (facts.answers) await withDeadline(checkAnswers(tab, label), ANSWERS_DEADLINE_MS, `${label}: the folded answers' checks`);
    if (replay) await withDeadline(checkReplay(tab, label, screenshot), REPLAY_DEADLINE_MS, `${label}: the replay checks`);
    if (replay && ownTraces.length > 0 && url.startsWith('http')) {
      await withDeadline(checkOwnTraces(tab, label), REPLAY_DEADLINE_MS, `${label}: the replay of the reader's own traces`);
    }
  } catch (error) {
    fail(label, error.message);
  }
  const errors = tab?.errors ?? []; // the same error twice (an image used twice) is told once, with a count
  for (const error of new Set(errors)) {
    const times = errors.filter((e) => e === error).length;
    fail(label, times > 1 ? `${error} (${times} times)` : error);
  }
  if (tab) await tab.close();
  const problems = failures.length - before;
  const folds = facts?.answers ? `, ${facts.answers} folded answers` : '';
  const counts = facts ? ` (${facts.links.length} links, ${facts.images.length} images, ${facts.codeBlocks} code blocks${folds}${replay ? ', replay driven' : ''})` : '';
  console.log(`${problems ? 'FAIL' : 'ok  '}  ${label}${counts}${problems ? `: ${problems} problem(s), listed below` : ''}`);
  return facts;
}

// ---- The folded answers -------------------------------------------------------

// Runs in the page: each folded answer, as the reader sees it. Code is
// visible when the browser renders it (a closed <details> renders nothing
// but its summary) and it takes up room on the page.
const READ_ANSWERS = `[...document.querySelectorAll('main details.answer')].map((details) => {
  const summary = details.querySelector(':scope > summary');
  const code = details.querySelector('pre > code');
  return {
    open: details.open,
    summary: summary ? summary.textContent.trim() : null,
    code: code ? code.textContent.trim().length : null,
    visible: !!code && code.checkVisibility() && code.getBoundingClientRect().height > 0,
  };
})`;

// Each fold closed at first, its code hidden; then each opened by a real
// mouse click in the middle of its summary, its code shown and not empty.
async function checkAnswers(tab, label) {
  const answers = await tab.evaluate(READ_ANSWERS);
  for (const [index, answer] of answers.entries()) {
    const where = `${label} folded answer ${index + 1} of ${answers.length}${answer.summary ? ` ("${answer.summary}")` : ''}`;
    const check = (ok, what) => { if (!ok) fail(where, what); return ok; };
    if (!check(answer.summary !== null, 'it has no <summary> to click')) continue;
    if (!check(answer.code !== null, 'it holds no code block')) continue;
    check(!answer.open, 'it is open when the page loads: the answer is in sight');
    check(!answer.visible, 'its code is visible before it is opened');
    if (answer.open) continue;
    const box = await tab.evaluate(`(() => {
      const summary = document.querySelectorAll('main details.answer')[${index}].querySelector(':scope > summary');
      summary.scrollIntoView({ block: 'center', behavior: 'instant' });
      const r = summary.getBoundingClientRect();
      const x = r.left + Math.min(r.width / 2, 100), y = r.top + r.height / 2; // on its text, near the marker
      return { x, y, hit: document.elementFromPoint(x, y)?.closest('summary') === summary };
    })()`);
    await tab.click(box.x, box.y);
    const opened = (await tab.evaluate(READ_ANSWERS))[index];
    const covered = box.hit ? '' : ' (another element covers the summary where it was clicked)';
    if (!check(opened.open, `a mouse click on its summary did not open it${covered}`)) continue;
    check(opened.visible, 'opened, its code is still not visible');
    check(opened.code > 0, 'opened, its code block is empty');
  }
}

// ---- The replay page --------------------------------------------------------

const SHOWN = ['step', 'time', 'busy', 'phase', 'queues', 'log']; // #replay-<name> display elements
const BUTTONS = ['first', 'back', 'next', 'last'];                 // #replay-<name> buttons
// Runs in the page: the replay's state, as the reader sees it.
const READ_REPLAY = `(() => {
  const replay = document.querySelector('#replay');
  if (!replay) return null;
  const text = (name) => document.getElementById('replay-' + name)?.textContent.trim() ?? '';
  const number = (value) => value === undefined ? 'missing' : value !== '' && Number.isFinite(+value) ? +value : value;
  return {
    step: number(replay.dataset.step), steps: number(replay.dataset.steps),
    tabindex: replay.getAttribute('tabindex'), focused: replay.contains(document.activeElement), url: location.href,
    missing: ${JSON.stringify([...SHOWN, ...BUTTONS].map((n) => 'replay-' + n))}.filter((id) => !document.getElementById(id)),
    text: Object.fromEntries(${JSON.stringify(SHOWN)}.map((name) => [name, text(name)])),
  };
})()`;
const FOCUS_REPLAY = `document.querySelector('#replay').focus()`;

async function checkReplay(tab, label, screenshot) {
  const where = `${label} replay`;
  const check = (ok, what) => { if (!ok) fail(where, what); return ok; };
  const read = async () => { // throws if #replay is gone: the page went elsewhere
    const state = await tab.evaluate(READ_REPLAY);
    if (!state) throw new Error(`replay: #replay is gone, the page is now ${await tab.evaluate('location.href')}`);
    return state;
  };
  const expectStep = async (key, want) => {
    await tab.press(key);
    const state = await read();
    return check(state.step === want, `after the key ${key}, data-step is ${state.step}, expected ${want}`);
  };
  if (!check(await tab.evaluate(READ_REPLAY), 'the page has no #replay element')) return;
  const first = await read();
  if (!check(first.missing.length === 0, `missing elements: ${first.missing.map((id) => '#' + id).join(', ')}`)) return;
  check(first.tabindex === '0', `#replay has tabindex=${first.tabindex}, expected "0"`);
  check(first.step === 0, `after load, data-step is ${first.step}, expected 0`);
  const steps = first.steps;
  if (!check(Number.isInteger(steps) && steps >= 10, `data-steps is ${first.steps}, expected a number of steps, at least 10`)) return;

  // Real key presses, sent to #replay once it has the focus.
  await tab.evaluate(FOCUS_REPLAY);
  if (!check((await read()).focused, '#replay.focus() did not give #replay the focus')) return;
  tab.navigations.length = 0;
  for (let i = 0; i < 3; i++) await tab.press('ArrowRight');
  await sleep(300); // had mdBook seen the keys, its chapter navigation would have begun by now
  if (!check(tab.navigations.length === 0, `ArrowRight made the page navigate (to ${tab.navigations[0]}): the keys reached mdBook's chapter navigation`)) return;
  const third = await read();
  check(third.url === first.url, `the page's URL changed from ${first.url} to ${third.url}`);
  check(third.step === 3, `after ArrowRight x3, data-step is ${third.step}, expected 3`);
  check(third.text.step !== first.text.step, `#replay-step still says "${third.text.step}" after 3 steps`);
  check(['log', 'busy', 'phase', 'queues'].some((name) => third.text[name] !== first.text[name]),
    'after 3 steps, none of #replay-log, #replay-busy, #replay-phase, #replay-queues changed');
  await expectStep('ArrowLeft', 2);
  // End and Home must not scroll the page as well: the replay calls preventDefault.
  for (const [key, want] of [['End', steps - 1], ['Home', 0]]) {
    const scrollY = await tab.evaluate('window.scrollY');
    await expectStep(key, want);
    await sleep(250); // the browser's keyboard scrolling is animated
    check(await tab.evaluate('window.scrollY') === scrollY, `the key ${key} also scrolled the page (no preventDefault)`);
  }
  await expectStep('n', 1);
  await expectStep('p', 0);

  // A real mouse click in the middle of #replay-next.
  const box = await tab.evaluate(`(() => {
    const button = document.querySelector('#replay-next');
    button.scrollIntoView({ block: 'center', behavior: 'instant' });
    const r = button.getBoundingClientRect();
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    return { x, y, hit: document.elementFromPoint(x, y)?.closest('#replay-next') !== null };
  })()`);
  await tab.click(box.x, box.y);
  const clicked = await read();
  check(clicked.step === 1, `a mouse click on #replay-next gave data-step ${clicked.step}, expected 1` +
    (box.hit ? '' : ' (another element covers the button at its centre)'));

  // Every step, one ArrowRight at a time: the display is never empty.
  await tab.evaluate(FOCUS_REPLAY);
  if (!(await expectStep('Home', 0))) return;
  const logs = [];
  const empty = { busy: [], phase: [], queues: [] };
  for (let i = 0; i < steps; i++) {
    if (i > 0) await tab.press('ArrowRight');
    const state = await read();
    if (!check(state.step === i, `walking with ArrowRight, data-step is ${state.step}, expected ${i}`)) return;
    for (const name of Object.keys(empty)) if (!state.text[name]) empty[name].push(i);
    logs.push(state.text.log);
  }
  for (const [name, at] of Object.entries(empty)) {
    if (at.length) fail(where, `#replay-${name} is empty at step index ${at.slice(0, 10).join(', ')}${at.length > 10 ? ` and ${at.length - 10} more` : ''}`);
  }
  check(tab.navigations.length === 0, `the page navigated while the replay was driven (to ${tab.navigations[0]})`);

  if (!screenshot) return;
  let target = logs.findIndex((log) => log.includes('Encrypted'));
  if (target < 0) target = Math.floor(steps / 2);
  await tab.press('Home');
  for (let i = 0; i < target; i++) await tab.press('ArrowRight');
  if (!check((await read()).step === target, `could not step to step index ${target} for the screenshot`)) return;
  await tab.evaluate(`document.querySelector('#replay').scrollIntoView({ block: 'start', behavior: 'instant' });
    window.scrollBy({ top: -(document.querySelector('#mdbook-menu-bar')?.offsetHeight ?? 0) - 8, behavior: 'instant' })`); // below mdBook's sticky menu bar
  await sleep(200);
  const { data } = await tab.send('Page.captureScreenshot', { format: 'png' });
  fs.writeFileSync(screenshot, Buffer.from(data, 'base64'));
  screenshotTaken = true;
  console.log(`      screenshot of step index ${target} of ${steps} written to ${screenshot}`);
}

// A reader's own traces: each given to the page's file input, as a reader
// picks one. The page must say it shows that file, step with the keys, and
// print by its last step what the run printed, line for line. A file that
// is no trace must be refused in words, the run shown left as it was; and
// "Back to the demo" must bring the demo back.
const READ_OWN = `(() => ({
  step: Number(document.querySelector('#replay').dataset.step),
  steps: Number(document.querySelector('#replay').dataset.steps),
  source: document.getElementById('replay-source')?.textContent ?? '',
  status: document.getElementById('replay-file-status')?.textContent ?? '',
  output: [...document.querySelectorAll('#replay-output .replay-line:not(.replay-nothing-yet)')].map((line) => line.textContent),
}))()`;

async function giveFile(tab, file, input = '#replay-file') {
  const { root } = await tab.send('DOM.getDocument', {});
  const { nodeId } = await tab.send('DOM.querySelector', { nodeId: root.nodeId, selector: input });
  if (!nodeId) throw new Error(`the replay page has no ${input} input`);
  await tab.send('DOM.setFileInputFiles', { files: [file], nodeId });
}

// The lines a run printed before it wrote its trace.
function printedBy(output) {
  const lines = fs.readFileSync(output, 'utf8').split('\n');
  const written = lines.findIndex((line) => line.startsWith('[main] wrote the trace to '));
  return lines.slice(0, written < 0 ? lines.length : written).filter((line) => line !== '');
}

// Runs in the page: the side-by-side panes' state.
const READ_PANES = `(() => Object.fromEntries(['a', 'b'].map((side) => {
  const pane = document.getElementById('compare-' + side);
  return [side, pane && {
    step: Number(pane.dataset.step), steps: Number(pane.dataset.steps),
    source: document.getElementById('compare-' + side + '-source')?.textContent ?? '',
  }];
}).concat([['verdict', document.getElementById('compare-verdict')?.textContent ?? '']])))()`;

// Two traces side by side: each pane shows its own, steps with its own
// keys, and the page says where the two outputs part.
async function checkSideBySide(tab, label, [a, b]) {
  const where = `${label} side by side`;
  const check = (ok, what) => { if (!ok) fail(where, what); return ok; };
  await giveFile(tab, a.trace, '#compare-a-file');
  await giveFile(tab, b.trace, '#compare-b-file');
  let panes;
  for (let tries = 0; tries < 100; tries++) {
    panes = await tab.evaluate(READ_PANES);
    if (panes.verdict) break;
    await sleep(50);
  }
  if (!check(panes.a && panes.b, 'the page has no #compare-a and #compare-b')) return;
  check(panes.a.source === 'Your trace: ' + path.basename(a.trace), `pane A says "${panes.a.source}"`);
  check(panes.b.source === 'Your trace: ' + path.basename(b.trace), `pane B says "${panes.b.source}"`);
  const [left, right] = [printedBy(a.output), printedBy(b.output)];
  const at = left.findIndex((line, index) => line !== right[index]);
  const same = at < 0 && left.length === right.length;
  const index = at < 0 ? left.length : at;
  const expected = same ? `the same ${left.length} lines` : `the same first ${index} lines`;
  check(panes.verdict.includes(expected), `the verdict "${panes.verdict}" does not say ${expected}`);
  await tab.evaluate(`document.getElementById('compare-a').focus()`);
  await tab.press('End');
  await tab.evaluate(`document.getElementById('compare-b').focus()`);
  await tab.press('ArrowRight');
  const stepped = await tab.evaluate(READ_PANES);
  check(stepped.a.step === stepped.a.steps - 1, `End in pane A gave step ${stepped.a.step} of ${stepped.a.steps}`);
  check(stepped.b.step === Math.min(1, stepped.b.steps - 1), `ArrowRight in pane B gave step ${stepped.b.step}`);
  console.log(`      side by side: ${path.basename(a.trace)} and ${path.basename(b.trace)}: ${panes.verdict}`);
}

// Waits until `done(state)`, reading the page every 50 ms, for at most 5 s.
async function waitFor(tab, done) {
  let state;
  for (let tries = 0; tries < 100; tries++) {
    state = await tab.evaluate(READ_OWN);
    if (done(state)) return state;
    await sleep(50);
  }
  return state;
}

async function checkOwnTraces(tab, label) {
  const where = `${label} own traces`;
  const check = (ok, what) => { if (!ok) fail(where, what); return ok; };
  const demo = await tab.evaluate(READ_OWN);
  for (const { trace, output } of ownTraces) {
    const name = path.basename(trace);
    await giveFile(tab, trace);
    const opened = await waitFor(tab, (state) => state.source === 'Your trace: ' + name || state.status !== '');
    if (!check(opened.source === 'Your trace: ' + name, `${name}: the page did not show it (it says "${opened.status}")`)) continue;
    check(opened.step === 0 && opened.steps >= 1, `${name}: shown at step ${opened.step} of ${opened.steps}`);
    await tab.evaluate(FOCUS_REPLAY);
    await tab.press('End');
    const last = await tab.evaluate(READ_OWN);
    check(last.step === opened.steps - 1, `${name}: End gave step ${last.step}, expected ${opened.steps - 1}`);
    const printed = printedBy(output);
    const differs = printed.findIndex((line, at) => last.output[at] !== line);
    check(differs < 0 && last.output.length === printed.length,
      `${name}: the output at the last step differs from the run's at line ${(differs < 0 ? Math.min(printed.length, last.output.length) : differs) + 1}`);
    await tab.press('Home');
    if (opened.steps > 1) await tab.press('ArrowRight');
    const second = await tab.evaluate(READ_OWN);
    check(second.step === Math.min(1, opened.steps - 1), `${name}: Home then ArrowRight gave step ${second.step}`);
    console.log(`      ${name}: ${opened.steps} steps, ${last.output.length} lines printed by the last`);
  }
  // A file that is no trace: refused in words, the run shown unchanged.
  const before = await tab.evaluate(READ_OWN);
  const notATrace = path.join(os.tmpdir(), `not-a-trace-${process.pid}.json`);
  fs.writeFileSync(notATrace, 'this is not JSON');
  await giveFile(tab, notATrace);
  const refused = await waitFor(tab, (state) => state.status !== '');
  fs.rmSync(notATrace, { force: true });
  check(refused.status.startsWith('Cannot replay'), `a file that is no trace gave the status "${refused.status}"`);
  check(refused.source === before.source && refused.steps === before.steps, 'a file that is no trace changed the run shown');
  // And back to the demo.
  await tab.evaluate(`document.getElementById('replay-demo').click()`);
  const back = await tab.evaluate(READ_OWN);
  check(back.source === demo.source && back.steps === demo.steps && back.step === 0,
    `"Back to the demo" shows "${back.source}", ${back.steps} steps, at step ${back.step}`);
  // The last two traces given, side by side.
  if (ownTraces.length >= 2) await checkSideBySide(tab, label, ownTraces.slice(-2));
}

// ---- Chromium, and the run ----------------------------------------------------

async function startChromium() {
  fs.mkdirSync(path.join(profileDir, 'tmp'));
  chromium = spawn(CHROMIUM, [
    '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
    '--no-default-browser-check', '--no-proxy-server', '--disable-background-networking', '--disable-extensions',
    '--disable-component-update', '--disable-sync', '--mute-audio',
    `--user-data-dir=${profileDir}`, '--remote-debugging-port=0', 'about:blank',
  ], {
    detached: true, stdio: ['ignore', 'ignore', 'pipe'],
    // Chromium's crash reporter and caches write under ~/.config and ~/.cache,
    // its singleton socket under $TMPDIR: point those into the temporary
    // profile too, so that even a killed run leaves nothing behind.
    env: { ...process.env, TMPDIR: path.join(profileDir, 'tmp'),
      XDG_CONFIG_HOME: path.join(profileDir, 'config'), XDG_CACHE_HOME: path.join(profileDir, 'cache') },
  });
  let stderr = ''; // kept to explain a failed start; quiet otherwise
  chromium.stderr.on('data', (chunk) => { stderr = (stderr + chunk).slice(-3000); });
  chromium.on('error', (error) => { stderr += `\n${error.message}`; });
  // Chromium writes the port it chose into DevToolsActivePort once it listens.
  const portFile = path.join(profileDir, 'DevToolsActivePort');
  const deadline = Date.now() + 30_000;
  let port = null;
  while (!port) {
    if (chromium.exitCode !== null || chromium.signalCode || chromium.pid === undefined) {
      throw new Error(`chromium (${CHROMIUM}) stopped before it opened its DevTools port:\n${stderr}`);
    }
    if (Date.now() > deadline) throw new Error(`chromium did not open its DevTools port within 30 s:\n${stderr}`);
    port = /^(\d+)\n/.exec(fs.existsSync(portFile) ? fs.readFileSync(portFile, 'utf8') : '')?.[1];
    if (!port) await sleep(50);
  }
  const version = await (await fetch(`http://127.0.0.1:${port}/json/version`, { signal: AbortSignal.timeout(5000) })).json();
  return withDeadline(Cdp.connect(version.webSocketDebuggerUrl), 5000, 'connecting to chromium');
}

async function stopChromium(cdp) {
  const running = chromium.exitCode === null && chromium.signalCode === null;
  const exited = new Promise((resolve) => (running ? chromium.once('exit', resolve) : resolve()));
  await withDeadline(cdp.send('Browser.close'), 5000, 'Browser.close').catch(() => {}); // may answer by closing
  await withDeadline(exited, 5000, 'chromium exit').catch(() => {});
  cleanup(); // kills what is left of the process group, removes the profile
}

// ---- The search index -----------------------------------------------------
//
// mdBook indexes every page's text for its search box, which shows each hit
// with the words around it. A folded answer in the index would be one search
// away: tools/fold-answers keeps each body in a <script> that mdBook leaves
// out, and book/theme/answers.js shows it. This holds the built index to it:
// no three lines in a row of any folded body (all of it, if it is shorter)
// may be in the index's text, whitespace collapsed as the index collapses
// it, unless a page shows the same lines in a listing, outside the folds.
// (A line alone may be: `Err(error) => return Err(error),` is in other
// listings too; stage 3's `register_io` shares three lines with
// `wait_for_more`; and stage 13's `wait_for_events` drains the channel as
// stage 10's, which stage 10's page shows. Whether a page shows an answer
// it should not is book-check's test `no_page_shows_an_answer_outside_a_fold`.)
function checkSearchIndexHoldsNoAnswer(pages) {
  const files = fs.readdirSync(root).filter((name) => /^searchindex.*\.js(on)?$/.test(name));
  if (!files.length) {
    fail('search index', 'the build has no searchindex: is search turned off? This check would then hold nothing');
    return;
  }
  const index = files.map((name) => searchIndexText(path.join(root, name))).join('\n');
  const collapse = (text) => text.trim().split(/\s+/).join(' ');
  let runs = 0;
  const before = failures.length;
  const htmlOf = (name) => fs.readFileSync(path.join(root, name), 'utf8');
  const shown = pages
    .map((name) => htmlOf(name).replace(/<details class="answer[\s\S]*?<\/details>/g, ''))
    .flatMap((outsideTheFolds) => [...outsideTheFolds.matchAll(/<code[^>]*>([\s\S]*?)<\/code>/g)])
    .map(([, code]) => collapse(decodeEntities(code.replace(/<[^>]*>/g, ''))))
    .join('\n');
  for (const name of pages) {
    const html = htmlOf(name);
    for (const [, body] of html.matchAll(/<script type="text\/x-answer"[^>]*>([\s\S]*?)<\/script>/g)) {
      const lines = body.split('\n').map(collapse).filter((line) => line);
      for (let at = 0; at + Math.min(3, lines.length) <= lines.length; at += 1) {
        const run = lines.slice(at, at + 3).join(' ');
        runs += 1;
        if (index.includes(run) && !shown.includes(run)) {
          fail(`search index (${files.join(', ')})`, `it holds a folded answer of ${name}: ${run}`);
        }
      }
    }
  }
  if (!runs) fail('search index', 'no folded answer was found in the pages to look for: the check holds nothing');
  if (failures.length === before) console.log(`ok    search index: none of ${runs} runs of lines of folded answers is in it`);
}

// All the text a search index holds: every string in it. mdBook writes it
// as a script, `window.search = ... JSON.parse('...')`, whose string
// literal is read here as JavaScript reads it (or as plain JSON).
function searchIndexText(file) {
  const source = fs.readFileSync(file, 'utf8');
  let json = source;
  if (file.endsWith('.js')) {
    const literal = source.slice(source.indexOf("JSON.parse('") + "JSON.parse('".length, source.lastIndexOf("')"));
    json = Function(`"use strict"; return '${literal}';`)();
  }
  const texts = [];
  const walk = (value) => {
    if (typeof value === 'string') texts.push(value);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(JSON.parse(json));
  return texts.join('\n');
}

async function main() {
  const started = Date.now();
  const overall = setTimeout(() => {
    fail('browser-check', `overall deadline of ${OVERALL_DEADLINE_MS / 1000} s passed; stopped there`);
    report(started);
    process.exit(1);
  }, OVERALL_DEADLINE_MS);

  // toc.html is skipped: it is not a page but the sidebar's fallback for
  // readers without JavaScript, shown in an iframe; the sidebar that toc.js
  // puts into every page has the same links, and they are checked there.
  // print.html (the whole book on one page) is checked like any other page;
  // the window.print() it calls on load does nothing in headless Chromium.
  const pages = fs.readdirSync(root, { recursive: true })
    .map((name) => name.split(path.sep).join('/'))
    .filter((name) => name.endsWith('.html') && name !== 'toc.html')
    .sort();
  const server = await startServer();
  const base = `http://127.0.0.1:${server.address().port}/`;
  let cdp = null;
  try {
    cdp = await startChromium();
    // Folded answers by stage: a stage's page (chapter-N.html) and the pages
    // under it (chapter-N-*.html, such as chapter-N-at-work.html) together.
    const foldsByStage = new Map();
    for (const name of pages) {
      const replay = name === 'replay.html';
      const facts = await checkPage(cdp, name, base + name, { replay, screenshot: replay ? screenshotPath : null });
      const stage = /^chapter-(\d+)(-[^/]*)?\.html$/.exec(name)?.[1];
      if (stage >= 2 && facts) {
        const seen = foldsByStage.get(stage) ?? { pages: [], answers: 0 };
        seen.pages.push(name);
        seen.answers += facts.answers;
        foldsByStage.set(stage, seen);
      }
    }
    for (const [stage, seen] of foldsByStage) {
      if (!seen.answers) {
        fail(`chapter-${stage}.html`, `stage ${stage}'s pages (${seen.pages.join(', ')}) have no folded answer (<details class="answer">): its exercise's answer is in sight, or the book was built without tools/fold-answers`);
      }
    }
    checkSearchIndexHoldsNoAnswer(pages);
    // Readers also open the built files directly: the replay must work from file:// too.
    if (pages.includes('replay.html')) {
      await checkPage(cdp, 'replay.html (file://)', pathToFileURL(path.join(root, 'replay.html')).href, { replay: true });
    } else {
      console.log('FAIL  replay page: not built yet');
      fail('replay.html', `the replay page is required, but ${path.join(root, 'replay.html')} does not exist (is replay.md in SUMMARY.md?)`);
    }
    if (screenshotPath && !screenshotTaken) fail('--screenshot', `no screenshot taken: the replay checks did not get that far`);
  } catch (error) {
    fail('browser-check', error.message);
  } finally {
    if (cdp) await stopChromium(cdp);
    cleanup();
    server.closeAllConnections();
    server.close();
    clearTimeout(overall);
  }
  return report(started);
}

function report(started) {
  if (external.size) {
    console.log(`\nExternal links (listed, not fetched):\n${[...external].sort().map((url) => `  ${url}`).join('\n')}`);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (!failures.length) { console.log(`\nAll checks hold (${seconds} s).`); return 0; }
  console.log(`\n${failures.length} failure(s) (${seconds} s):\n${failures.map((f) => `  - ${f}`).join('\n')}`);
  return 1;
}

main().then((status) => process.exit(status), (error) => { console.error(error); process.exit(1); });
