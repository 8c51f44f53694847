// The same program as `from_a_failed_read_the_immediate_then_the_timeout` in src/programs.rs.
const fs = require('fs');
const path = require('path');
const FILE = path.join(__dirname, 'hello.txt');
const MISSING = path.join(__dirname, 'missing.txt');
const say = (line) => () => console.log(line);

fs.readFile(MISSING, 'utf8', () => {
  console.log('error');
  setTimeout(say('timeout'), 0);
  setImmediate(say('immediate'));
});
