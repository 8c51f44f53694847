// The same program as `immediates_three_deep` in src/programs.rs.
const say = (line) => () => console.log(line);

setImmediate(() => {
  console.log('a');
  setImmediate(() => {
    console.log('b');
    setImmediate(say('c'));
  });
});
setImmediate(say('d'));
