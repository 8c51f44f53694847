// The same program as `a_read_callback_runs_after_the_main_program` in src/programs.rs.
const fs = require('fs');
const path = require('path');
const FILE = path.join(__dirname, 'hello.txt');
const MISSING = path.join(__dirname, 'missing.txt');
const say = (line) => () => console.log(line);

fs.readFile(FILE, 'utf8', say('read'));
console.log('main');
