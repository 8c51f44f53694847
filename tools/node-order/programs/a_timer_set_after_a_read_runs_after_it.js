// The same program as `a_timer_set_after_a_read_runs_after_it` in src/programs.rs.
const fs = require('fs');
const path = require('path');
const FILE = path.join(__dirname, 'hello.txt');
const MISSING = path.join(__dirname, 'missing.txt');
const say = (line) => () => console.log(line);

fs.readFile(FILE, 'utf8', () => {
  console.log('read');
  setTimeout(say('timer'), 5);
});
