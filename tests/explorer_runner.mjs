// Runs docs/assets/explorer/engine.js on a JSON list of jobs from stdin; writes a JSON list of results.
// A job is {simulate: settings} or {call: "lambda"|"metric"|"cos"|"pow"|"repr"|"spec"|"time", ...}.
// Non-finite numbers travel as the strings "nan", "inf", "-inf" (JSON has no such numbers).
import { readFileSync } from "node:fs";
import { simulate, LAMBDAS, METRICS, SCHEDULERS, TorchError, _python } from "../docs/assets/explorer/engine.js";

const encode = (x) => (Number.isFinite(x) ? x : Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf");
const series = (xs) => Array.from(xs, encode);

function run(job) {
  if (job.simulate) {
    try {
      const { lr, momentum, warnings, stopped, nonFinite } = simulate(job.simulate);
      const out = { lr: series(lr), momentum: series(momentum), warnings };
      // A run torch stops part-way is compared as torch's: the recorded steps and the exception.
      if (stopped) Object.assign(out, { error: { type: stopped.type, message: stopped.message }, stoppedAt: stopped.step });
      if (nonFinite) out.nonFinite = { ...nonFinite, value: encode(nonFinite.value) };
      return out;
    } catch (error) {
      if (!(error instanceof TorchError)) return { crash: `${error.name}: ${error.message}` };
      return { error: { type: error.type, message: error.message }, lr: [], momentum: [] }; // refused when built: no step
    }
  }
  try {
    if (job.call === "lambda") return { values: job.args.map((t) => encode(LAMBDAS[job.name].fn(t))) };
    if (job.call === "metric") return { values: job.args.map((t) => encode(METRICS[job.name].fn(t))) };
    if (job.call === "cos") return { values: job.args.map((x) => encode(_python.cos(x))) };
    if (job.call === "pow") return { values: job.args.map(([x, y]) => encode(_python.pow(x, y))) };
    if (job.call === "repr") return { values: job.args.map((x) => _python.repr(x)) };
    if (job.call === "spec") {
      const of = (table, key) => Object.fromEntries(Object.entries(table).map(([name, entry]) => [name, entry[key]]));
      return {
        schedulers: SCHEDULERS,
        metrics: of(METRICS, "python"),
        lambdaSources: of(LAMBDAS, "python"),
        lambdaExact: of(LAMBDAS, "exact"),
        lambdaFor: of(LAMBDAS, "for"),
      };
    }
    if (job.call === "time") {
      // CPU time of this process (the test machine is shared, so wall time measures the neighbours)
      const start = process.cpuUsage();
      const wall = performance.now();
      const out = simulate(job.settings);
      const used = process.cpuUsage(start);
      return { ms: (used.user + used.system) / 1000, wall: performance.now() - wall, n: out.lr.length };
    }
  } catch (error) {
    return { crash: `${error.name}: ${error.message}` };
  }
  return { crash: `unknown job ${JSON.stringify(job).slice(0, 200)}` };
}

const jobs = JSON.parse(readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(jobs.map(run)));
