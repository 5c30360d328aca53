// The explorer's state <-> its URL query. No DOM: node imports this module too (the gallery pages'
// "Open in the explorer" links are made and tested with it).
//
// The format, documented on the page (docs/explorer.md):
//
//   ?scheduler=OneCycleLR&max_lr=0.01&anneal_strategy=linear&lr=0.001&momentum=0.9&epochs=90
//    &steps_per_epoch=1251&step_every=batch
//
// * `scheduler`: a class name of SCHEDULERS (the 15 torch classes and WarmupCosineLR).
// * constructor kwargs by their torch names: numbers as Python writes them (pyRepr), `true`/`false`,
//   strings bare, lists comma-separated (`milestones=30,60,80`). A kwarg missing from the query takes
//   torch's default; a required one missing takes the explorer's preset for the class.
// * LambdaLR / MultiplicativeLR: `lr_lambda=<name of LAMBDAS>`; ReduceLROnPlateau: `metric=<name of METRICS>`.
// * training: `lr`, `momentum` (SGD), `epochs`, `steps_per_epoch`, `step_every=batch|epoch`.
// * OneCycleLR: its own `epochs` and `steps_per_epoch` kwargs are the training length's (the program
//   passes EPOCHS and STEPS_PER_EPOCH), unless the query gives `total_steps`, which then replaces them.
// * SequentialLR / ChainedScheduler: `s0=<class>&s0.<kwarg>=...&s1=<class>&s1.<kwarg>=...`, plus
//   SequentialLR's `milestones`.
// * `yscale=log` draws (and plots) the lr on a log axis; linear when absent.
// * pins (curves kept for comparison, at most MAX_PINS): `pin=` repeated, each a complete settings
//   query of its own with `;` in place of `&`: `pin=scheduler=StepLR;step_size=4;lr=0.001;...`.
//
// Values from a URL are data: each is checked against the parameter spec; what fails is left out
// and reported in `errors` (never echoed into markup by the page).

import { SCHEDULERS, LAMBDAS, METRICS, pyFloatRepr as pyRepr } from "./engine.js";

export const TRAINING = {
  lr: { name: "lr", kind: "float", default: 0.001 },
  momentum: { name: "momentum", kind: "float", default: 0.9 },
  // The loop's range(): whole numbers only (strict), not passed on to torch.
  epochs: { name: "epochs", kind: "int", default: 4, min: 1, strict: true },
  steps_per_epoch: { name: "steps_per_epoch", kind: "int", default: 8, min: 1, strict: true },
  step_every: { name: "step_every", kind: "choice", default: "batch", choices: ["batch", "epoch"], strict: true },
};
export const TRAINING_KEYS = Object.keys(TRAINING);
// How the chart draws the curve (the program plots it the same way); written only when not linear.
export const YSCALE = { name: "yscale", kind: "choice", default: "linear", choices: ["linear", "log"], strict: true };
export const MAX_STEPS = 1000000; // epochs x steps_per_epoch: what a browser tab simulates and draws
export const MAX_PINS = 3; // pinned curves; with the current one, at most 4 curves on the chart
export const DEFAULT_SCHEDULER = "OneCycleLR";
// SequentialLR / ChainedScheduler: s0 and s1 by default; a link may add s2 and s3 (the recipes
// pages start at 0 with a third scheduler: ConstantLR, LinearLR, then the decay).
export const SUB_SCHEDULERS = 2;
export const MAX_SUB_SCHEDULERS = 4;
// OneCycleLR kwargs that follow the training length unless `total_steps` is given.
export const DERIVED = { OneCycleLR: { epochs: "epochs", steps_per_epoch: "steps_per_epoch" } };

const firstKey = (object) => Object.keys(object)[0];

/** The named lambdas offered for a class's lr_lambda (each names the classes it suits). */
export function lambdasFor(className) {
  return Object.keys(LAMBDAS).filter((name) => !LAMBDAS[name].for || LAMBDAS[name].for.includes(className));
}

// What the explorer shows when a class is picked: the gallery's example of it.
export function presetKwargs(scheduler) {
  const presets = {
    LambdaLR: { lr_lambda: "gallery_warmup_inverse_sqrt" },
    MultiplicativeLR: { lr_lambda: "constant_0.9" },
    StepLR: { step_size: 4, gamma: 0.5 },
    MultiStepLR: { milestones: [8, 24, 28], gamma: 0.5 },
    ConstantLR: { factor: 0.5, total_iters: 8 },
    LinearLR: { start_factor: 0.5, total_iters: 8 },
    ExponentialLR: { gamma: 0.5 },
    PolynomialLR: { total_iters: 8, power: 1.0 },
    CosineAnnealingLR: { T_max: 32, eta_min: 1e-4 },
    CosineAnnealingWarmRestarts: { T_0: 8, T_mult: 1, eta_min: 1e-4 },
    CyclicLR: { base_lr: 1e-4, max_lr: 1e-3, step_size_up: 4, mode: "triangular" },
    OneCycleLR: { max_lr: 1e-3 },
    ReduceLROnPlateau: { mode: "min", factor: 0.5, patience: 3, threshold: 1e-2, cooldown: 2 },
    WarmupCosineLR: { warmup_steps: 8, total_steps: 32, eta_min: 1e-5 },
    SequentialLR: {
      schedulers: [
        { scheduler: "LinearLR", kwargs: { start_factor: 0.1, total_iters: 8 } },
        { scheduler: "CosineAnnealingLR", kwargs: { T_max: 24, eta_min: 1e-5 } },
      ],
      milestones: [8],
    },
    ChainedScheduler: {
      schedulers: [
        { scheduler: "ConstantLR", kwargs: { factor: 0.5, total_iters: 8 } },
        { scheduler: "ExponentialLR", kwargs: { gamma: 0.95 } },
      ],
    },
  };
  return presets[scheduler] || {};
}

/** The parameters of a class that the explorer sets (OneCycleLR's derived ones included). */
export function paramsOf(scheduler) {
  return (SCHEDULERS[scheduler] || { params: [] }).params.filter((p) => p.name !== "optimizer" && p.name !== "last_epoch");
}

export function isComposite(scheduler) {
  return Boolean(SCHEDULERS[scheduler] && SCHEDULERS[scheduler].composite);
}

/** Classes allowed inside SequentialLR / ChainedScheduler: no compositions, no ReduceLROnPlateau
 * (its step() needs the metric, which neither composition passes on). */
export function subSchedulerClasses() {
  return Object.keys(SCHEDULERS).filter((name) => !isComposite(name) && name !== "ReduceLROnPlateau");
}

function defaultOf(param, className) {
  if (param.kind === "lambda") return lambdasFor(className)[0];
  return param.default === undefined ? null : param.default;
}

function copyValue(value) {
  if (Array.isArray(value)) return value.map(copyValue);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copyValue(v)]));
  return value;
}

/** kwargs of a (non-composite) class: torch's defaults, then `given` over them. */
export function fullKwargs(scheduler, given) {
  const kwargs = {};
  for (const param of paramsOf(scheduler)) {
    if (DERIVED[scheduler] && param.name in DERIVED[scheduler]) continue;
    if (param.kind === "schedulers") continue;
    kwargs[param.name] = param.name in given ? copyValue(given[param.name]) : copyValue(defaultOf(param, scheduler));
  }
  return kwargs;
}

/** Settings for a class as the explorer first shows it: its preset on the given training length. */
export function defaultSettings(scheduler = DEFAULT_SCHEDULER, training = {}) {
  const settings = { scheduler, kwargs: {} };
  for (const key of TRAINING_KEYS) settings[key] = key in training ? training[key] : TRAINING[key].default;
  const preset = presetKwargs(scheduler);
  if (isComposite(scheduler)) {
    settings.kwargs.schedulers = preset.schedulers.map((sub) => ({ scheduler: sub.scheduler, kwargs: fullKwargs(sub.scheduler, sub.kwargs) }));
    if (paramsOf(scheduler).some((p) => p.name === "milestones")) settings.kwargs.milestones = copyValue(preset.milestones || [8]);
  } else {
    settings.kwargs = fullKwargs(scheduler, preset);
  }
  if (scheduler === "ReduceLROnPlateau") settings.metric = firstKey(METRICS);
  settings.yscale = training.yscale || YSCALE.default;
  return settings;
}

/** A sub-scheduler of a composition as first shown. */
export function defaultSubScheduler(scheduler) {
  return { scheduler, kwargs: fullKwargs(scheduler, presetKwargs(scheduler)) };
}

// ------------------------------------------------------------------------------ value syntax

const INT = /^[+-]?\d{1,15}$/;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A URL (or form) text as a value of `param`'s kind: {value} or {problem}. */
export function parseValue(param, text) {
  text = String(text).trim();
  switch (param.kind) {
    case "int": {
      if (text === "None" && param.default === null) return { value: null };
      if (INT.test(text)) return { value: Number(text) };
      // A float where torch wants an int goes on to torch as a float (torch says what it thinks of
      // it): 1.5 as 1.5, 8.0 as {float: 8} (a JS number alone would be the int 8).
      // (Digits alone beyond INT's 15 are a Python int no double holds: refused, not rounded.)
      if (param.strict || !FLOAT.test(text) || /^[+-]?\d+$/.test(text)) return { problem: "not_int" };
      const value = Number(text);
      if (!Number.isFinite(value)) return { problem: "not_int" };
      return { value: Number.isInteger(value) ? { float: value } : value };
    }
    case "float":
    case "float_or_list": {
      if (text === "None" && param.default === null) return { value: null };
      if (text.includes(",")) return { problem: "one_group" };
      // A `+` typed into a URL by hand (1e+16) arrives as a space.
      text = text.replace(/^([^ ]*[eE]) (\d+)$/, "$1+$2");
      if (!FLOAT.test(text)) return { problem: "not_float" };
      const value = Number(text);
      return Number.isFinite(value) ? { value } : { problem: "not_float" };
    }
    case "bool":
      if (text === "true" || text === "True") return { value: true };
      if (text === "false" || text === "False") return { value: false };
      return { problem: "not_bool" };
    case "choice":
      // torch's own choices (mode, anneal_strategy, ...): any other string goes on to torch, which
      // says what it accepts. The explorer's own choices (step_every, yscale) are strict.
      if (param.choices.includes(text) || (!param.strict && /^[\w.-]{1,80}$/.test(text))) return { value: text };
      return { problem: "not_choice" };
    case "int_list": {
      if (text === "") return { value: [] };
      const items = text.split(",").map((item) => item.trim());
      if (items.length > 1000 || !items.every((item) => INT.test(item))) return { problem: "not_int_list" };
      return { value: items.map(Number) };
    }
    case "lambda":
      return Object.hasOwn(LAMBDAS, text) ? { value: text } : { problem: "not_lambda" };
    case "metric_curve":
      return Object.hasOwn(METRICS, text) ? { value: text } : { problem: "not_metric" };
    default:
      return { problem: "unknown" };
  }
}

/** A value as the query (and a form field) writes it. */
export function formatValue(param, value) {
  if (value === null || value === undefined) return "None";
  if (isPyFloat(value)) return pyRepr(value.float);
  switch (param.kind) {
    case "int":
      return Number.isInteger(value) ? String(value) : pyRepr(value);
    case "float":
    case "float_or_list":
      return pyRepr(value);
    case "bool":
      return value ? "true" : "false";
    case "int_list":
      return value.join(",");
    default:
      return String(value);
  }
}

/** {float: 8}: the Python float 8.0 given for an int parameter (see engine.js). */
export const isPyFloat = (value) => value !== null && typeof value === "object" && !Array.isArray(value) && typeof value.float === "number";

/** A value as the problems box shows it: at most `max` characters, with an ellipsis. */
export function shorten(text, max = 80) {
  text = String(text);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

// The problem codes parseQuery reports ({param, value, problem}); their words, in both languages, are
// strings.js's `problems` (tests/test_explorer.py checks that each code has them).
export const PROBLEMS = {
  unknown: null,
  unknown_scheduler: null,
  not_sub_scheduler: null,
  not_int: null,
  not_float: null,
  one_group: null,
  not_bool: null,
  not_choice: null,
  not_int_list: null,
  not_lambda: null,
  not_metric: null,
  at_least_1: null,
  too_many_steps: null,
  derived: null,
  too_many_pins: null,
  duplicate: null,
  too_many_steps_epochs: null,
};

// --------------------------------------------------------------------------------- parsing

function settingsFromPairs(pairs, errors) {
  const values = new Map();
  const problem = (key, value, code) => {
    errors.push({ param: key, value: shorten(value), problem: code });
  };
  for (const [key, value] of pairs) {
    if (key === "pin") continue;
    if (values.has(key)) problem(key, value, "duplicate");
    else values.set(key, value);
  }
  const used = new Set();
  const take = (key) => {
    used.add(key);
    return values.get(key);
  };

  let scheduler = take("scheduler");
  if (scheduler === undefined) scheduler = DEFAULT_SCHEDULER;
  else if (!Object.hasOwn(SCHEDULERS, scheduler)) {
    problem("scheduler", scheduler, "unknown_scheduler");
    scheduler = DEFAULT_SCHEDULER;
  }

  const training = {};
  for (const key of TRAINING_KEYS) {
    const text = take(key);
    if (text === undefined) continue;
    const parsed = parseValue(TRAINING[key], text);
    if (parsed.problem) problem(key, text, parsed.problem);
    else if (TRAINING[key].min !== undefined && parsed.value < TRAINING[key].min) problem(key, text, "at_least_1");
    else training[key] = parsed.value;
  }
  const yscale = take("yscale");
  if (yscale !== undefined) {
    const parsed = parseValue(YSCALE, yscale);
    if (parsed.problem) problem("yscale", yscale, parsed.problem);
    else training.yscale = parsed.value;
  }
  // Too long a run: the epochs go (the steps per epoch describe the data); the steps per epoch only
  // when they are too many even for the default epochs.
  const steps = training.steps_per_epoch ?? TRAINING.steps_per_epoch.default;
  if ((training.epochs ?? TRAINING.epochs.default) * steps > MAX_STEPS) {
    if (training.epochs !== undefined) {
      problem("epochs", values.get("epochs"), "too_many_steps_epochs");
      delete training.epochs;
    }
    if (TRAINING.epochs.default * steps > MAX_STEPS) {
      problem("steps_per_epoch", values.get("steps_per_epoch"), "too_many_steps");
      delete training.steps_per_epoch;
    }
  }

  const settings = defaultSettings(scheduler, training);
  const readKwargs = (className, prefix, target) => {
    for (const param of paramsOf(className)) {
      if (param.kind === "schedulers") continue;
      const key = prefix + param.name;
      if (DERIVED[className] && param.name in DERIVED[className]) {
        // At the top level these keys are the training length itself (read above); inside a
        // composition they cannot be set apart from it.
        if (prefix !== "" && values.has(key)) problem(key, take(key), "derived");
        continue;
      }
      const text = take(key);
      if (text === undefined) {
        // Missing: torch's default; a required kwarg keeps the preset (there is no default).
        if (!param.required) target[param.name] = copyValue(defaultOf(param, className));
        continue;
      }
      const parsed = param.kind === "lambda" && !lambdasFor(className).includes(text) ? { problem: "not_lambda" } : parseValue(param, text);
      if (parsed.problem) problem(key, text, parsed.problem);
      else target[param.name] = parsed.value;
    }
  };

  if (isComposite(scheduler)) {
    const subs = settings.kwargs.schedulers;
    const allowed = subSchedulerClasses();
    for (let index = 0; index < MAX_SUB_SCHEDULERS; index++) {
      const key = `s${index}`;
      const name = take(key);
      if (index >= subs.length) {
        // Beyond the default two: only a scheduler the query names, and only right after the last.
        if (name === undefined) break;
        if (!Object.hasOwn(SCHEDULERS, name)) { problem(key, name, "unknown_scheduler"); break; }
        if (!allowed.includes(name)) { problem(key, name, "not_sub_scheduler"); break; }
        subs.push(defaultSubScheduler(name));
      }
      if (name !== undefined && name !== subs[index].scheduler) {
        if (!Object.hasOwn(SCHEDULERS, name)) problem(key, name, "unknown_scheduler");
        else if (!allowed.includes(name)) problem(key, name, "not_sub_scheduler");
        else subs[index] = defaultSubScheduler(name);
      }
      const given = [...values.keys()].some((k) => k.startsWith(`${key}.`));
      if (name !== undefined || given) {
        // A sub-scheduler named in the query takes torch's defaults for what the query leaves out.
        const sub = subs[index];
        const required = Object.fromEntries(paramsOf(sub.scheduler).filter((p) => p.required).map((p) => [p.name, sub.kwargs[p.name]]));
        sub.kwargs = { ...fullKwargs(sub.scheduler, {}), ...required };
        readKwargs(sub.scheduler, `${key}.`, sub.kwargs);
      }
    }
    const milestones = paramsOf(scheduler).find((p) => p.name === "milestones");
    if (milestones) {
      const text = take("milestones");
      if (text !== undefined) {
        const parsed = parseValue(milestones, text);
        if (parsed.problem) problem("milestones", text, parsed.problem);
        else settings.kwargs.milestones = parsed.value;
      }
    }
  } else {
    // What the query does not set is torch's default, not the preset (required kwargs excepted).
    readKwargs(scheduler, "", settings.kwargs);
  }

  if (scheduler === "ReduceLROnPlateau") {
    const text = take("metric");
    if (text !== undefined) {
      const parsed = parseValue({ kind: "metric_curve" }, text);
      if (parsed.problem) problem("metric", text, parsed.problem);
      else settings.metric = parsed.value;
    }
  }
  for (const [key, value] of values) if (!used.has(key)) problem(key, value, "unknown");
  return settings;
}

/** `?a=1&b=2` (or without `?`) -> [[key, value]...], decoded as the browser does. */
function queryPairs(search) {
  return [...new URLSearchParams(String(search || "").replace(/^\?/, "")).entries()];
}

/** A pin's own query: `key=value;key=value`, taken as written (no further decoding). */
function pinPairs(text) {
  return text
    .split(";")
    .filter((part) => part !== "")
    .map((part) => {
      const at = part.indexOf("=");
      return at < 0 ? [part, ""] : [part.slice(0, at), part.slice(at + 1)];
    });
}

/**
 * Parse a URL query into the explorer's state.
 * @returns {{settings: object, pins: object[], errors: {param, value, problem}[]}}
 *   `problem` is a code of strings.js's `problems` (the words are there, in both languages);
 *   `settings` is always complete and valid as data (torch may still refuse it: see simulate).
 */
export function parseQuery(search) {
  const pairs = queryPairs(search);
  const errors = [];
  const settings = settingsFromPairs(pairs, errors);
  const pins = [];
  pairs
    .filter(([key]) => key === "pin")
    .forEach(([, value], index) => {
      if (index >= MAX_PINS) {
        errors.push({ param: "pin", value: shorten(value), problem: "too_many_pins" });
        return;
      }
      const pinErrors = [];
      const pin = settingsFromPairs(pinPairs(value), pinErrors);
      errors.push(...pinErrors.map((error) => ({ ...error, param: `pin.${error.param}` })));
      pins.push(pin);
    });
  return { settings, pins, errors };
}

// ----------------------------------------------------------------------------- serializing

function isDefault(param, value) {
  const fallback = param.default === undefined ? null : param.default;
  if (Array.isArray(value) || Array.isArray(fallback)) return JSON.stringify(value) === JSON.stringify(fallback);
  return Object.is(value, fallback) || value === fallback;
}

function kwargPairs(className, kwargs, prefix) {
  const pairs = [];
  for (const param of paramsOf(className)) {
    if (param.kind === "schedulers" || (DERIVED[className] && param.name in DERIVED[className])) continue;
    if (!(param.name in kwargs)) continue;
    const value = kwargs[param.name];
    if (!param.required && isDefault(param, value)) continue;
    pairs.push([prefix + param.name, formatValue(param, value)]);
  }
  return pairs;
}

/** The settings as [key, value] pairs in the documented order. */
export function settingsPairs(settings) {
  const pairs = [["scheduler", settings.scheduler]];
  if (isComposite(settings.scheduler)) {
    const milestones = paramsOf(settings.scheduler).find((p) => p.name === "milestones");
    if (milestones) pairs.push(["milestones", formatValue(milestones, settings.kwargs.milestones || [])]);
    settings.kwargs.schedulers.forEach((sub, index) => {
      pairs.push([`s${index}`, sub.scheduler]);
      pairs.push(...kwargPairs(sub.scheduler, sub.kwargs, `s${index}.`));
    });
  } else {
    pairs.push(...kwargPairs(settings.scheduler, settings.kwargs, ""));
  }
  if (settings.scheduler === "ReduceLROnPlateau" && settings.metric) pairs.push(["metric", settings.metric]);
  for (const key of TRAINING_KEYS) pairs.push([key, formatValue(TRAINING[key], settings[key])]);
  if (settings.yscale && settings.yscale !== YSCALE.default) pairs.push(["yscale", settings.yscale]);
  return pairs;
}

// Readable URLs: `,` `;` `=` `:` need no escaping inside a query value.
const encode = (text) => encodeURIComponent(text).replace(/%2C/g, ",").replace(/%3B/g, ";").replace(/%3D/g, "=").replace(/%3A/g, ":");

/** The query (without `?`) for the settings and pins: parseQuery(toQuery(s, p)) gives them back. */
export function toQuery(settings, pins = []) {
  const pairs = settingsPairs(settings).map(([key, value]) => `${encode(key)}=${encode(value)}`);
  for (const pin of pins.slice(0, MAX_PINS)) {
    pairs.push(`pin=${encode(settingsPairs(pin).map(([key, value]) => `${key}=${value}`).join(";"))}`);
  }
  return pairs.join("&");
}

// ------------------------------------------------------------------------- for the engine

/** The settings as simulate() takes them: OneCycleLR's epochs and steps_per_epoch filled in from
 * the training length when total_steps is not given (also inside compositions). */
export function engineSettings(settings) {
  const resolve = (className, kwargs) => {
    const resolved = { ...kwargs };
    if (DERIVED[className]) {
      const useTotal = resolved.total_steps !== null && resolved.total_steps !== undefined;
      for (const [param, trainingKey] of Object.entries(DERIVED[className])) {
        resolved[param] = useTotal ? null : settings[trainingKey];
      }
    }
    return resolved;
  };
  const out = { ...settings };
  if (isComposite(settings.scheduler)) {
    out.kwargs = { ...settings.kwargs, schedulers: settings.kwargs.schedulers.map((sub) => ({ scheduler: sub.scheduler, kwargs: resolve(sub.scheduler, sub.kwargs) })) };
  } else {
    out.kwargs = resolve(settings.scheduler, settings.kwargs);
  }
  if (settings.scheduler !== "ReduceLROnPlateau") delete out.metric;
  return out;
}

/** Kwargs that differ from torch's default (required ones always), for labels and code. */
export function shownKwargs(className, kwargs) {
  return kwargPairs(className, kwargs, "");
}

/** A short label for a curve (the chart's legend). */
export function label(settings) {
  const parts = [];
  if (isComposite(settings.scheduler)) {
    const subs = settings.kwargs.schedulers.map((sub) => sub.scheduler).join(" + ");
    parts.push(`${settings.scheduler}(${subs})`);
  } else {
    const kwargs = shownKwargs(settings.scheduler, settings.kwargs).map(([k, v]) => `${k}=${v}`);
    parts.push(`${settings.scheduler}(${kwargs.join(", ")})`);
  }
  if (settings.scheduler === "ReduceLROnPlateau") parts.push(`metric=${settings.metric}`);
  parts.push(`lr=${pyRepr(settings.lr)}`);
  return parts.join(" ");
}
