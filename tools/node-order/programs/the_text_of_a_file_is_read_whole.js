// The same program as `the_text_of_a_file_is_read_whole` in src/programs.rs.
const fs = require('fs');
const path = require('path');
const FILE = path.join(__dirname, 'hello.txt');
const MISSING = path.join(__dirname, 'missing.txt');
const say = (line) => () => console.log(line);

fs.readFile(FILE, 'utf8', (error, text) => {
  console.log(text.trim());
});
