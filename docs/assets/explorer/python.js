// The complete Python program for the explorer's settings, in the gallery scripts' style, and the
// Python repr of numbers. No DOM: node runs this module in the tests, which run its output with torch.

import { SCHEDULERS, LAMBDAS, METRICS, TORCH_VERSION, pyFloatRepr as pyRepr } from "./engine.js";
import { DERIVED, engineSettings, formatValue, isComposite, isPyFloat, paramsOf } from "./state.js";
import { SPEC } from "./spec.js";
import { STRINGS } from "./strings.js";

// repr(float) is the engine's (one port of it, tested against CPython there); re-exported for the page.
export { pyRepr };

const NUMBER_KINDS = new Set(["int", "float", "float_or_list"]);

/** A kwarg's value as Python source, by the parameter's kind (ints stay ints). None and numbers are
 * written as the URL writes them (state.js formatValue), which is as Python does. */
export function pySource(param, value) {
  if (value === null || value === undefined || isPyFloat(value) || NUMBER_KINDS.has(param.kind)) return formatValue(param, value);
  switch (param.kind) {
    case "bool":
      return value ? "True" : "False";
    case "int_list":
      return `[${value.join(", ")}]`;
    case "lambda":
      return LAMBDAS[value].python;
    default:
      return JSON.stringify(String(value));
  }
}
// The classes a gallery script defines itself, as the script writes them (spec.js: the build reads
// them from the script): a program that uses one defines it first.
const custom = (className) => (Object.hasOwn(SPEC.custom, className) ? SPEC.custom[className] : undefined);
const LINE = 100; // the project's line length

function qualified(className) {
  return custom(className) ? className : `torch.optim.lr_scheduler.${className}`;
}

/** The kwargs of a constructor call, in the signature's order: required and non-default ones. */
function kwargSources(className, kwargs) {
  const parts = [];
  for (const param of paramsOf(className)) {
    if (param.kind === "schedulers") continue;
    const derived = DERIVED[className] && DERIVED[className][param.name];
    if (derived) {
      if (kwargs[param.name] !== null && kwargs[param.name] !== undefined) {
        parts.push(`${param.name}=${derived === "epochs" ? "EPOCHS" : "STEPS_PER_EPOCH"}`);
      }
      continue;
    }
    const value = kwargs[param.name];
    const fallback = param.default === undefined ? null : param.default;
    const isDefault = Array.isArray(value) ? JSON.stringify(value) === JSON.stringify(fallback) : Object.is(value, fallback) || value === fallback;
    if (!param.required && isDefault) continue;
    parts.push(`${param.name}=${pySource(param, value)}`);
  }
  return parts;
}

/** `target = callee(args)`, wrapped as the gallery wraps long calls. */
function call(target, callee, args) {
  const head = `${target} = ${callee}(`;
  const oneLine = `${head}${args.join(", ")})`;
  if (oneLine.length <= LINE) return oneLine;
  const inner = `    ${args.join(", ")}`;
  if (inner.length <= LINE) return `${head}\n${inner}\n)`;
  return `${head}\n${args.map((arg) => `    ${arg},`).join("\n")}\n)`;
}

/**
 * The Python program for `settings` (the explorer's state, see state.js): run as it stands, it
 * records in `lrs` and `momentums` exactly the numbers the explorer shows, and plots them.
 */
export function pythonProgram(settings, language = "en") {
  const words = STRINGS[language].program;
  const resolved = engineSettings(settings);
  const classes = isComposite(resolved.scheduler) ? resolved.kwargs.schedulers.map((sub) => sub.scheduler) : [resolved.scheduler];
  const customs = [...new Set(classes.filter((name) => custom(name)))];
  const kwargsList = isComposite(resolved.scheduler) ? resolved.kwargs.schedulers.map((sub) => sub.kwargs) : [resolved.kwargs];
  const lambdaSources = kwargsList.filter((kwargs) => kwargs.lr_lambda).map((kwargs) => LAMBDAS[kwargs.lr_lambda].python);
  const metric = resolved.scheduler === "ReduceLROnPlateau" ? METRICS[resolved.metric].python.trim() : null;
  // The engine's Python sources (lambdas, metric curves) and the custom class may use math.
  const needsMath = customs.length > 0 || [...lambdaSources, metric || ""].some((source) => /\bmath\./.test(source));
  const cyclesMomentum = classes.some((name) => SCHEDULERS[name] && SCHEDULERS[name].momentum);
  const plateau = resolved.scheduler === "ReduceLROnPlateau";
  const everyBatch = resolved.step_every !== "epoch";
  const out = [];

  out.push('"""', resolved.scheduler, "=".repeat(resolved.scheduler.length), "");
  // Section titles are underlined to their width (sphinx-gallery's convention): a CJK character is two columns.
  const title = (text) => ["# %%", `# ${text}`, `# ${"-".repeat([...text].reduce((n, c) => n + (c > "\u2e7f" ? 2 : 1), 0))}`];
  out.push(words.docstring.replace("{torch}", TORCH_VERSION), '"""', "");
  out.push(...title(words.setup), `# ${words.setupComment}`);
  if (needsMath) out.push("import math", "");
  out.push("import matplotlib.pyplot as plt", "import torch", "");
  out.push(`LEARNING_RATE = ${pyRepr(resolved.lr)}`, `EPOCHS = ${resolved.epochs}`, `STEPS_PER_EPOCH = ${resolved.steps_per_epoch}`, "");
  out.push("model = torch.nn.Linear(2, 1)");
  out.push(`optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE, momentum=${pyRepr(resolved.momentum)})`, "");

  out.push(...title(words.scheduler));
  for (const name of customs) out.push("", "", custom(name), "", "");
  if (plateau) {
    out.push(`# ${words.metricComment}`);
    out.push(metric, "", "");
  }
  if (resolved.scheduler === "SequentialLR" || resolved.scheduler === "ChainedScheduler") {
    const names = ["first", "second", "third", "fourth"];
    resolved.kwargs.schedulers.forEach((sub, index) => {
      out.push(call(names[index], qualified(sub.scheduler), ["optimizer", ...kwargSources(sub.scheduler, sub.kwargs)]));
    });
    const list = `[${names.slice(0, resolved.kwargs.schedulers.length).join(", ")}]`;
    if (resolved.scheduler === "SequentialLR") {
      out.push(call("scheduler", qualified("SequentialLR"), ["optimizer", `schedulers=${list}`, `milestones=[${resolved.kwargs.milestones.join(", ")}]`]));
    } else {
      out.push(call("scheduler", qualified("ChainedScheduler"), [list, "optimizer=optimizer"]));
    }
  } else {
    out.push(call("scheduler", qualified(resolved.scheduler), ["optimizer", ...kwargSources(resolved.scheduler, resolved.kwargs)]));
  }
  out.push("");

  const stepCall = plateau ? "scheduler.step(metric(calls))" : "scheduler.step()";
  out.push(...title(words.run));
  out.push(`# ${words.runComment.replace("{when}", everyBatch ? words.batch : words.epoch)}`);
  out.push("lrs, momentums = [], []");
  if (plateau) out.push("calls = 0");
  out.push("for epoch in range(EPOCHS):", "    for batch in range(STEPS_PER_EPOCH):", "        optimizer.step()");
  out.push('        lrs.append(optimizer.param_groups[0]["lr"])', '        momentums.append(optimizer.param_groups[0]["momentum"])');
  const indent = everyBatch ? "        " : "    ";
  out.push(indent + stepCall);
  if (plateau) out.push(`${indent}calls += 1`);
  out.push("");

  out.push(...title(words.plot));
  if (cyclesMomentum) {
    out.push("fig, (ax, ax_momentum) = plt.subplots(2, 1, sharex=True, height_ratios=(2, 1))", "ax.plot(lrs)", 'ax.set(ylabel="lr")');
  } else {
    out.push("fig, ax = plt.subplots()", "ax.plot(lrs)", 'ax.set(xlabel="step", ylabel="lr")');
  }
  if (resolved.yscale === "log") out.push('ax.set_yscale("log")');
  out.push('ax.secondary_xaxis("top", functions=(lambda s: s / STEPS_PER_EPOCH, lambda e: e * STEPS_PER_EPOCH)).set(xlabel="epoch")');
  if (cyclesMomentum) {
    out.push('ax_momentum.plot(momentums, color="tab:orange")', 'ax_momentum.set(xlabel="step", ylabel="momentum")');
  }
  out.push("plt.show()");
  return `${out.join("\n").replace(/\n{4,}/g, "\n\n\n")}\n`;
}

/** The curve as CSV: step,epoch,lr,momentum, one row per batch, numbers as Python writes them. */
export function csvText(series, stepsPerEpoch) {
  const rows = ["step,epoch,lr,momentum"];
  for (let step = 0; step < series.lr.length; step++) {
    rows.push(`${step},${Math.floor(step / stepsPerEpoch)},${pyRepr(series.lr[step])},${pyRepr(series.momentum[step])}`);
  }
  return `${rows.join("\n")}\n`;
}
