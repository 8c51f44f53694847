// The same program as `an_interval_cleared_on_its_first_run_runs_once` in src/programs.rs.
const say = (line) => () => console.log(line);

const id = setInterval(() => {
  console.log('once');
  clearInterval(id);
}, 10);
