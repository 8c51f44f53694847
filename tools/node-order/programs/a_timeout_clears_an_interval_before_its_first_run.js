// The same program as `a_timeout_clears_an_interval_before_its_first_run` in src/programs.rs.
const say = (line) => () => console.log(line);

const id = setInterval(say('interval'), 1000);
setTimeout(() => {
  clearInterval(id);
  console.log('cleared');
}, 10);
