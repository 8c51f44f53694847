// The same program as `many_equal_timeouts_run_in_the_order_set` in src/programs.rs.
const say = (line) => () => console.log(line);

for (let n = 0; n < 10; n++) {
  setTimeout(say(`timeout ${n}`), 5);
}
