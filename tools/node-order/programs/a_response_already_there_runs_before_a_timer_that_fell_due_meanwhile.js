// The same program as `a_response_already_there_runs_before_a_timer_that_fell_due_meanwhile` in src/programs.rs.
// A server on a thread of its own answers 150 ms after the request comes.
// The 10 ms timer blocks the loop for 300 ms: meanwhile the 100 ms timer
// falls due, and then the response arrives. The timers phase judges what
// is due by the time it began, so the 100 ms timer waits for the next
// one; the poll phase that follows finds the response already there.
const http = require('http');
const { Worker } = require('worker_threads');
const say = (line) => () => console.log(line);

const server = new Worker(`
  const net = require('net');
  const { parentPort } = require('worker_threads');
  const listener = net.createServer((socket) => {
    socket.once('data', () => setTimeout(() => {
      socket.end('HTTP/1.1 200 OK\\r\\nContent-Length: 5\\r\\nConnection: close\\r\\n\\r\\nhello');
      listener.close();
    }, 150));
  });
  listener.listen(0, '127.0.0.1', () => parentPort.postMessage(listener.address().port));
`, { eval: true });

server.once('message', (port) => {
  http.get(`http://127.0.0.1:${port}/`, say('response')).on('error', say('error'));
  setTimeout(() => {
    const end = Date.now() + 300;
    while (Date.now() < end) {}
    console.log('blocked');
  }, 10);
  setTimeout(say('timeout'), 100);
});
