// The same program as `an_immediate_can_clear_a_timeout` in src/programs.rs.
const say = (line) => () => console.log(line);

const t = setTimeout(say('timeout'), 1000);
setImmediate(() => {
  clearTimeout(t);
  console.log('immediate');
});
