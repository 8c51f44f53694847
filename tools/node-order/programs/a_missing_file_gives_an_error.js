// The same program as `a_missing_file_gives_an_error` in src/programs.rs.
const fs = require('fs');
const path = require('path');
const FILE = path.join(__dirname, 'hello.txt');
const MISSING = path.join(__dirname, 'missing.txt');
const say = (line) => () => console.log(line);

fs.readFile(MISSING, 'utf8', (error) => {
  console.log(error ? 'error' : 'text');
});
