// The same program as `from_a_read_the_immediate_then_both_timeouts_in_order` in src/programs.rs.
const fs = require('fs');
const path = require('path');
const FILE = path.join(__dirname, 'hello.txt');
const MISSING = path.join(__dirname, 'missing.txt');
const say = (line) => () => console.log(line);

fs.readFile(FILE, 'utf8', () => {
  setImmediate(() => {
    console.log('a');
    setTimeout(say('c'), 0);
  });
  setTimeout(say('b'), 0);
});
