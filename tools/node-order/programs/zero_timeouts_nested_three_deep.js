// The same program as `zero_timeouts_nested_three_deep` in src/programs.rs.
const say = (line) => () => console.log(line);

setTimeout(() => {
  console.log('a');
  setTimeout(() => {
    console.log('b');
    setTimeout(say('c'), 0);
  }, 0);
}, 0);
