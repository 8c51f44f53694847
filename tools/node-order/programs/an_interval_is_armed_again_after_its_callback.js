// The same program as `an_interval_is_armed_again_after_its_callback` in src/programs.rs.
const say = (line) => () => console.log(line);

let runs = 0;
const id = setInterval(() => {
  runs += 1;
  console.log(`interval ${runs}`);
  if (runs === 1) setTimeout(say('timeout'), 30);
  if (runs === 2) clearInterval(id);
}, 30);
