// The same program as `a_refused_connection_fails_before_an_immediate` in src/programs.rs.
// Nothing listens on port 1 of 127.0.0.1: the connection is refused at once.
const http = require('http');
const say = (line) => () => console.log(line);

http.get('http://127.0.0.1:1/', say('response')).on('error', say('error'));
setImmediate(say('immediate'));
setTimeout(say('timeout'), 50);
