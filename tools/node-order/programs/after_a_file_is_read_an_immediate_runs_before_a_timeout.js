// The same program as `after_a_file_is_read_an_immediate_runs_before_a_timeout` in src/programs.rs.
const fs = require('fs');
const path = require('path');
const FILE = path.join(__dirname, 'hello.txt');
const MISSING = path.join(__dirname, 'missing.txt');
const say = (line) => () => console.log(line);

fs.readFile(FILE, 'utf8', () => {
  console.log('read');
  setTimeout(say('timeout'), 0);
  setImmediate(say('immediate'));
});
