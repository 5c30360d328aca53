// The explorer page: the form built from the engine's parameter spec, the URL state, the charts
// (uPlot, loaded by the page as the global `uPlot`), the key numbers, pins, the Python program and
// the CSV. Everything from the URL or a form field is data: the DOM is built with createElement and
// textContent only.

import { SCHEDULERS, LAMBDAS, METRICS, TORCH_VERSION, simulate, _python } from "./engine.js";
import * as state from "./state.js";
import { csvText, pyRepr, pythonProgram } from "./python.js";
import { STRINGS, helpText, text } from "./strings.js";

const root = document.getElementById("lr-explorer");
const LANGUAGE = root && root.dataset.language === "zh" ? "zh" : "en";
const t = (key, values) => text(LANGUAGE, key, values);
const DEBOUNCE_MS = 60;
// Canvas text takes no CSS variables: Material's font stack (font: false, so the system's fonts).
const FONT = '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica, Arial, "Noto Sans CJK SC", sans-serif';
const CHART_HEIGHT = 300;
const MOMENTUM_HEIGHT = 150;
// Curve colours per palette: the current curve first, then the pins. Each is at least 3:1 against
// its background (WCAG 1.4.11, graphics).
const COLOURS = {
  default: ["#bf360c", "#1565c0", "#2e7d32", "#6a1b9a"],
  slate: ["#ff8a65", "#64b5f6", "#81c784", "#ce93d8"],
};

// ------------------------------------------------------------------------------------ DOM

/** An element: `el("p", {class: "x", text: "y"}, child...)`. Attributes are set, never parsed. */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const code = (content) => el("code", { text: content });

// ---------------------------------------------------------------------------------- state

const app = {
  settings: null,
  pins: [], // {settings, result}
  result: null, // {lr, momentum, warnings} of the current settings, or null when torch refuses them
  error: null,
  urlErrors: [],
  timings: [], // ms from a change to the drawn chart, for tests/test_explorer.py
  charts: { lr: null, momentum: null },
  drawn: null, // resolves when the chart has drawn the latest data
};

function run(settings) {
  try {
    return { result: simulate(state.engineSettings(settings)), error: null };
  } catch (error) {
    if (error && typeof error.type === "string") return { result: null, error };
    throw error;
  }
}

// ----------------------------------------------------------------------------- the form

let uid = 0;
const nextId = (stem) => `lrx-${stem}-${++uid}`;

// Slider ranges where a range is natural: [min, max, step]; `steps` = up to the run's length.
const SLIDERS = {
  factor: [0, 1, 0.01],
  start_factor: [0, 1, 0.01],
  end_factor: [0, 1, 0.01],
  pct_start: [0, 1, 0.01],
  gamma: [0, 1, 0.01],
  momentum: [0, 1, 0.01],
  base_momentum: [0, 1, 0.01],
  max_momentum: [0, 1, 0.01],
  power: [0, 5, 0.1],
  T_mult: [1, 4, 1],
  epochs: [1, 200, 1],
  steps_per_epoch: [1, 2000, 1],
  step_size: [1, "steps", 1],
  step_size_up: [1, "steps", 1],
  step_size_down: [1, "steps", 1],
  T_max: [1, "steps", 1],
  T_0: [1, "steps", 1],
  total_iters: [0, "steps", 1],
  warmup_steps: [0, "steps", 1],
  total_steps: [1, "steps", 1],
  patience: [0, 50, 1],
  cooldown: [0, 50, 1],
};

function sliderRange(param, value) {
  const spec = SLIDERS[param.name];
  if (!spec || param.nullable || !["int", "float", "float_or_list"].includes(param.kind)) return null;
  let [min, max, step] = spec;
  if (max === "steps") max = Math.max(app.settings.epochs * app.settings.steps_per_epoch, 2);
  if (typeof value === "number") max = Math.max(max, value), (min = Math.min(min, value));
  return { min, max, step };
}

function problemText(code) {
  const messages = { not_int: "invalidInt", not_float: "invalidNumber", not_int_list: "invalidList", at_least_1: "atLeastOne" };
  return messages[code] ? t(messages[code]) : STRINGS[LANGUAGE].problems[code] || code;
}

/**
 * One labelled control for a parameter: a text field (numbers typed as Python writes them), with a
 * slider where a range is natural; a checkbox, a select. `get()`/`set(value)` read and write the
 * settings; `set` schedules the update.
 */
function field(param, { className, get, set, idStem, helpKey, training = false }) {
  const id = nextId(idStem);
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const labelId = `${id}-label`;
  const value = get();
  const help = training ? helpText(LANGUAGE, "", param.name) : helpText(LANGUAGE, className, helpKey || param.name);
  let defaultText = null;
  if (!training) {
    if (param.required) defaultText = t("required");
    else defaultText = t("defaultIs", { value: param.default === null || param.default === undefined ? "None" : state.formatValue(param, param.default) });
  }
  const helpNode = el("p", { class: "lrx-help", id: helpId }, help, defaultText ? el("span", { class: "lrx-default" }, `${LANGUAGE === "zh" ? "" : " "}${defaultText}`) : null);
  const errorNode = el("p", { class: "lrx-error", id: errorId, hidden: true });
  const label = el("label", { for: id, id: labelId, class: "lrx-label" }, code(param.name));
  const wrapper = el("div", { class: "lrx-field", "data-param": param.name });

  if (param.kind === "bool") {
    const box = el("input", { type: "checkbox", id, "aria-describedby": helpId });
    box.checked = Boolean(value);
    box.addEventListener("change", () => set(box.checked));
    wrapper.classList.add("lrx-field--check");
    wrapper.append(el("div", { class: "lrx-check" }, box, label), helpNode);
    return wrapper;
  }
  if (param.kind === "choice" || param.kind === "lambda" || param.kind === "metric_curve") {
    const names = param.kind === "choice" ? param.choices : param.kind === "lambda" ? state.lambdasFor(className) : Object.keys(METRICS);
    const select = el("select", { id, "aria-describedby": helpId }, names.map((name) => el("option", { value: name, text: name })));
    select.value = value;
    wrapper.append(label, select);
    if (param.kind !== "choice") {
      const table = param.kind === "lambda" ? LAMBDAS : METRICS;
      const source = el("div", { class: "lrx-source" }, code(table[value].python.trim()));
      select.addEventListener("change", () => {
        source.replaceChildren(code(table[select.value].python.trim()));
        set(select.value);
      });
      wrapper.append(source);
    } else {
      select.addEventListener("change", () => set(select.value));
    }
    wrapper.append(helpNode);
    return wrapper;
  }

  const input = el("input", {
    type: "text",
    id,
    class: "lrx-input",
    // Phones' numeric keypads lack "e" and ",": only whole numbers get one.
    inputmode: param.kind === "int" ? "numeric" : null,
    autocomplete: "off",
    spellcheck: "false",
    "aria-describedby": `${helpId} ${errorId}`,
    placeholder: param.default === null ? t("none") : null,
  });
  input.value = value === null || value === undefined ? "" : state.formatValue(param, value);
  const range = sliderRange(param, value);
  let slider = null;
  if (range) {
    slider = el("input", { type: "range", min: range.min, max: range.max, step: range.step, "aria-labelledby": labelId, "aria-describedby": helpId, tabindex: null });
    slider.value = typeof value === "number" ? value : range.min;
  }
  const accept = (raw, fromSlider) => {
    let parsed;
    if (raw.trim() === "" && param.default === null) parsed = { value: null };
    else parsed = state.parseValue(param, raw);
    if (!parsed.problem && training && state.TRAINING[param.name].min !== undefined && parsed.value < state.TRAINING[param.name].min) parsed = { problem: "at_least_1" };
    if (parsed.problem) {
      input.setAttribute("aria-invalid", "true");
      errorNode.textContent = problemText(parsed.problem);
      errorNode.hidden = false;
      return;
    }
    input.removeAttribute("aria-invalid");
    errorNode.hidden = true;
    if (fromSlider) input.value = state.formatValue(param, parsed.value);
    else if (slider && typeof parsed.value === "number") slider.value = parsed.value;
    set(parsed.value);
  };
  input.addEventListener("input", () => accept(input.value, false));
  if (slider) {
    slider.addEventListener("input", () => {
      const number = Number(slider.value);
      accept(param.kind === "int" ? String(Math.round(number)) : pyRepr(Number(number.toPrecision(12))), true);
    });
  }
  wrapper.append(label, el("div", { class: "lrx-inputs" }, input, slider), helpNode, errorNode);
  return wrapper;
}

/** A parameter that follows the training length (OneCycleLR's epochs and steps_per_epoch). */
function derivedRow(className, param, kwargs) {
  const given = kwargs.total_steps !== null && kwargs.total_steps !== undefined;
  const value = given ? "None" : String(app.settings[param.name]);
  return el(
    "div",
    { class: "lrx-field lrx-field--derived", "data-param": param.name },
    el("span", { class: "lrx-label" }, code(param.name)),
    el("p", { class: "lrx-derived" }, code(value), " ", given ? "" : t("followsTraining", { value })),
    el("p", { class: "lrx-help" }, helpText(LANGUAGE, className, param.name)),
  );
}

function kwargFields(className, kwargs, idStem) {
  const nodes = [];
  for (const param of state.paramsOf(className)) {
    if (param.kind === "schedulers") continue;
    if (state.DERIVED[className] && param.name in state.DERIVED[className]) {
      nodes.push(derivedRow(className, param, kwargs));
      continue;
    }
    if (!["int", "float", "float_or_list", "bool", "choice", "int_list", "lambda"].includes(param.kind)) continue;
    nodes.push(
      field(param, {
        className,
        idStem: `${idStem}${param.name}`,
        get: () => kwargs[param.name],
        set: (value) => {
          kwargs[param.name] = value;
          if (param.name === "total_steps") rebuildForm();
          changed();
        },
      }),
    );
  }
  return nodes;
}

function schedulerSelect(id, names, value, onChange) {
  const select = el("select", { id }, names.map((name) => el("option", { value: name, text: name })));
  select.value = value;
  select.addEventListener("change", () => onChange(select.value));
  return select;
}

const form = el("div", { class: "lrx-form" });

function rebuildForm() {
  const focused = document.activeElement && form.contains(document.activeElement) ? document.activeElement.closest("[data-param]") : null;
  const focusedParam = focused && focused.dataset.param;
  const settings = app.settings;
  const schedulerId = nextId("scheduler");
  const parts = [];

  const classes = Object.keys(SCHEDULERS);
  parts.push(
    el(
      "div",
      { class: "lrx-field", "data-param": "scheduler" },
      el("label", { for: schedulerId, class: "lrx-label" }, t("scheduler")),
      schedulerSelect(schedulerId, classes, settings.scheduler, (name) => {
        const training = Object.fromEntries(state.TRAINING_KEYS.map((key) => [key, app.settings[key]]));
        training.yscale = app.settings.yscale;
        app.settings = state.defaultSettings(name, training);
        rebuildForm();
        changed();
      }),
      el("p", { class: "lrx-help" }, t("schedulerHelp")),
    ),
  );

  const kwargsBox = el("fieldset", { class: "lrx-group" }, el("legend", {}, t("parameters"), " ", code(`${settings.scheduler}(…)`)));
  if (state.isComposite(settings.scheduler)) {
    kwargsBox.append(el("p", { class: "lrx-help" }, helpText(LANGUAGE, settings.scheduler, "schedulers")));
    settings.kwargs.schedulers.forEach((sub, index) => {
      const subId = nextId(`s${index}`);
      const box = el(
        "fieldset",
        { class: "lrx-group lrx-group--sub" },
        el("legend", {}, t("subScheduler", { n: index + 1 }), " ", code(`s${index}`)),
        el(
          "div",
          { class: "lrx-field", "data-param": `s${index}` },
          el("label", { for: subId, class: "lrx-label" }, t("scheduler")),
          schedulerSelect(subId, state.subSchedulerClasses(), sub.scheduler, (name) => {
            settings.kwargs.schedulers[index] = state.defaultSubScheduler(name);
            rebuildForm();
            changed();
          }),
        ),
        kwargFields(sub.scheduler, sub.kwargs, `s${index}-`),
      );
      kwargsBox.append(box);
    });
    const milestones = state.paramsOf(settings.scheduler).find((p) => p.name === "milestones");
    if (milestones) {
      kwargsBox.append(
        field(milestones, {
          className: settings.scheduler,
          idStem: "milestones",
          get: () => settings.kwargs.milestones,
          set: (value) => {
            settings.kwargs.milestones = value;
            changed();
          },
        }),
      );
    }
  } else {
    kwargsBox.append(...kwargFields(settings.scheduler, settings.kwargs, ""));
  }
  if (settings.scheduler === "ReduceLROnPlateau") {
    const metricParam = { name: "metric", kind: "metric_curve", default: Object.keys(METRICS)[0] };
    const metricField = field(metricParam, {
      className: "ReduceLROnPlateau",
      idStem: "metric",
      training: true,
      get: () => settings.metric,
      set: (value) => {
        settings.metric = value;
        changed();
      },
    });
    metricField.querySelector(".lrx-help").textContent = t("metricHelp");
    kwargsBox.append(metricField);
  }
  kwargsBox.append(el("p", { class: "lrx-help" }, t("fixed", { names: fixedParams(settings.scheduler).join(LANGUAGE === "zh" ? "；" : "; ") })));
  parts.push(kwargsBox);

  const trainingBox = el("fieldset", { class: "lrx-group" }, el("legend", {}, t("training")));
  for (const key of ["lr", "momentum", "epochs", "steps_per_epoch"]) {
    trainingBox.append(
      field(state.TRAINING[key], {
        training: true,
        idStem: key,
        get: () => app.settings[key],
        set: (value) => {
          const steps = (key === "epochs" ? value : app.settings.epochs) * (key === "steps_per_epoch" ? value : app.settings.steps_per_epoch);
          if (steps > state.MAX_STEPS) {
            showFieldProblem(key, t("tooManySteps", { max: state.MAX_STEPS }));
            return;
          }
          app.settings[key] = value;
          if ((key === "epochs" || key === "steps_per_epoch") && state.DERIVED[app.settings.scheduler]) refreshDerived();
          changed();
        },
      }),
    );
  }
  const stepName = `lrx-step-every-${++uid}`;
  const stepHelpId = `${stepName}-help`;
  const radios = state.TRAINING.step_every.choices.map((choice) => {
    const id = `${stepName}-${choice}`;
    const radio = el("input", { type: "radio", name: stepName, id, value: choice, "aria-describedby": stepHelpId });
    radio.checked = app.settings.step_every === choice;
    radio.addEventListener("change", () => {
      if (radio.checked) {
        app.settings.step_every = choice;
        changed();
      }
    });
    return el("div", { class: "lrx-radio" }, radio, el("label", { for: id }, code(choice), " ", t(choice === "batch" ? "stepBatch" : "stepEpoch")));
  });
  trainingBox.append(
    el(
      "fieldset",
      { class: "lrx-field lrx-radios", "data-param": "step_every" },
      el("legend", { class: "lrx-label" }, code("step_every")),
      radios,
      el("p", { class: "lrx-help", id: stepHelpId }, helpText(LANGUAGE, "", "step_every")),
    ),
  );
  parts.push(trainingBox);
  form.replaceChildren(...parts);
  if (focusedParam) {
    const again = form.querySelector(`[data-param="${CSS.escape(focusedParam)}"] select, [data-param="${CSS.escape(focusedParam)}"] input`);
    if (again) again.focus();
  }
}

/** The constructor parameters the explorer does not offer (the engine's spec leaves them out). */
function fixedParams(className) {
  const names = [t("fixedOptimizer")];
  if (className !== "ChainedScheduler" && className !== "ReduceLROnPlateau") names.push(t("fixedLastEpoch"));
  if (className === "CyclicLR") names.push(t("fixedScale"));
  return names;
}

function refreshDerived() {
  for (const row of form.querySelectorAll(".lrx-field--derived")) {
    const param = row.dataset.param;
    const value = String(app.settings[param]);
    const derived = row.querySelector(".lrx-derived");
    if (derived.textContent.startsWith("None")) continue;
    derived.replaceChildren(code(value), " ", t("followsTraining", { value }));
  }
}

function showFieldProblem(param, message) {
  const wrapper = form.querySelector(`[data-param="${param}"]:not(.lrx-field--derived)`);
  if (!wrapper) return;
  const errorNode = wrapper.querySelector(".lrx-error");
  const input = wrapper.querySelector(".lrx-input");
  if (input) input.setAttribute("aria-invalid", "true");
  if (errorNode) {
    errorNode.textContent = message;
    errorNode.hidden = false;
  }
}

// --------------------------------------------------------------------------------- charts

// Read once per palette: getComputedStyle on every update would force a style recalculation.
let paletteCache = null;
function palette() {
  const scheme = document.body.getAttribute("data-md-color-scheme") === "slate" ? "slate" : "default";
  if (paletteCache && paletteCache.scheme === scheme) return paletteCache;
  paletteCache = readPalette(scheme);
  return paletteCache;
}

function readPalette(scheme) {
  const style = getComputedStyle(document.body);
  const read = (name, fallback) => style.getPropertyValue(name).trim() || fallback;
  return {
    scheme,
    colours: COLOURS[scheme],
    text: read("--md-default-fg-color--light", scheme === "slate" ? "#c8cad5" : "#555"),
    grid: read("--md-default-fg-color--lightest", scheme === "slate" ? "#ffffff1f" : "#0000001f"),
    marks: scheme === "slate" ? "rgba(226, 228, 233, 0.28)" : "rgba(0, 0, 0, 0.18)",
  };
}

const shortNumber = (value) => (value === null || value === undefined ? "–" : pyRepr(Number(value.toPrecision(4))));

function epochSplits(u, stepsPerEpoch) {
  const [min, max] = [u.scales.x.min, u.scales.x.max];
  const epochs = (max - min) / stepsPerEpoch;
  const width = u.bbox.width / devicePixelRatio;
  const most = Math.max(2, Math.floor(width / 50));
  let every = 1;
  for (const candidate of [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000, 100000]) {
    every = candidate;
    if (epochs / candidate <= most) break;
  }
  const splits = [];
  for (let epoch = Math.ceil(min / stepsPerEpoch / every) * every; epoch * stepsPerEpoch <= max; epoch += every) splits.push(epoch * stepsPerEpoch);
  return splits;
}

function drawEpochMarks(u, stepsPerEpoch, colour) {
  const { ctx } = u;
  const [min, max] = [u.scales.x.min, u.scales.x.max];
  const count = (max - min) / stepsPerEpoch;
  if (!(count > 0)) return;
  const every = Math.max(1, Math.ceil(count / 200));
  ctx.save();
  ctx.strokeStyle = colour;
  ctx.lineWidth = 1;
  ctx.setLineDash([4, 4]);
  ctx.beginPath();
  for (let epoch = Math.ceil(min / stepsPerEpoch / every) * every; epoch * stepsPerEpoch <= max; epoch += every) {
    if (epoch === 0) continue;
    const x = Math.round(u.valToPos(epoch * stepsPerEpoch, "x", true)) + 0.5;
    ctx.moveTo(x, u.bbox.top);
    ctx.lineTo(x, u.bbox.top + u.bbox.height);
  }
  ctx.stroke();
  ctx.restore();
}

const chartBox = el("div", { class: "lrx-chart", tabindex: "0", role: "img" });
const momentumBox = el("div", { class: "lrx-chart lrx-chart--momentum", role: "img", hidden: true });
const readout = el("p", { class: "lrx-readout", "aria-live": "polite" });
const legend = el("ul", { class: "lrx-legend", "aria-label": t("legend") });
const logNote = el("p", { class: "lrx-note", hidden: true, text: t("logDropped") });

function curves() {
  const list = [];
  if (app.result) list.push({ settings: app.settings, result: app.result, label: t("current"), index: 0 });
  app.pins.forEach((pin, index) => pin.result && list.push({ settings: pin.settings, result: pin.result, label: t("pinned", { n: index + 1 }), index: index + 1 }));
  return list;
}

let xsCache = [];
function xs(length) {
  if (xsCache.length !== length) xsCache = Array.from({ length }, (_, index) => index);
  return xsCache;
}

function pad(values, length, positiveOnly) {
  if (values.length === length && !positiveOnly) return values;
  const out = new Array(length);
  for (let i = 0; i < length; i++) {
    const value = i < values.length ? values[i] : null;
    out[i] = positiveOnly && value !== null && !(value > 0) ? null : value;
  }
  return out;
}

const varies = new WeakMap();
function momentumVaries(result) {
  if (!varies.has(result)) {
    const values = result.momentum;
    let found = false;
    for (let i = 1; i < values.length && !found; i++) found = values[i] !== values[0];
    varies.set(result, found);
  }
  return varies.get(result);
}

function chartData() {
  const list = curves();
  const length = Math.max(1, ...list.map((curve) => curve.result.lr.length));
  const log = app.settings.yscale === "log";
  const lr = [xs(length), ...list.map((curve) => pad(curve.result.lr, length, log))];
  const withMomentum = list.filter((curve) => momentumVaries(curve.result));
  const momentum = [xs(length), ...withMomentum.map((curve) => pad(curve.result.momentum, length, false))];
  const dropped = log && list.some((curve) => curve.result.lr.some((value) => !(value > 0)));
  return { list, lr, momentum, withMomentum, dropped };
}

function chartOptions(kind, series, colours, stepsPerEpoch, width) {
  const look = palette();
  const log = kind === "lr" && app.settings.yscale === "log";
  const axis = { stroke: look.text, grid: { stroke: look.grid, width: 1 }, ticks: { stroke: look.grid, width: 1 }, font: `12px ${FONT}`, labelFont: `bold 12px ${FONT}` };
  const axes = [
    { ...axis, scale: "x", label: t("stepAxis"), values: (u, splits) => splits.map((v) => String(Math.round(v))), space: 60 },
    { ...axis, scale: "y", label: kind === "lr" ? t("lrAxis") : t("momentumAxis"), size: 72, space: kind === "lr" ? 30 : 18, values: (u, splits) => splits.map(shortNumber), splits: log ? logSplits : undefined, filter: log ? (u, splits) => splits : undefined },
  ];
  if (kind === "lr") {
    axes.splice(1, 0, {
      ...axis,
      scale: "x",
      side: 0,
      label: t("epochAxis"),
      grid: { show: false },
      splits: (u) => epochSplits(u, stepsPerEpoch),
      values: (u, splits) => splits.map((v) => String(Math.round(v / stepsPerEpoch))),
      size: 36,
    });
  }
  return {
    width,
    height: kind === "lr" ? CHART_HEIGHT : MOMENTUM_HEIGHT,
    legend: { show: false },
    cursor: { sync: { key: "lrx" }, drag: { x: true, y: false }, points: { size: 7 } },
    scales: { x: { time: false }, y: log ? { distr: 3, log: 10, range: logRange } : { auto: true } },
    axes,
    series: [{}, ...series.map((curve, position) => ({ label: curve.label, stroke: colours[curve.index], width: position === 0 && curve.index === 0 ? 2 : 1.5, points: { show: curve.result.lr.length <= 64 }, spanGaps: false }))],
    hooks: {
      draw: [(u) => kind === "lr" && drawEpochMarks(u, stepsPerEpoch, look.marks), () => kind === "lr" && chartDrawn()],
      setCursor: [(u) => kind === "lr" && showReadout(u.cursor.idx)],
    },
  };
}

// A log axis spans whole decades, at most LOG_DECADES of them below the highest value: a curve that
// decays towards 1e-300 would otherwise ask for hundreds of decades of ticks.
const LOG_DECADES = 24;
function logRange(u, min, max) {
  if (!(max > 0)) return [1e-4, 1];
  const top = Math.ceil(Math.log10(max));
  const bottom = Math.max(Math.floor(Math.log10(min > 0 ? min : max)), top - LOG_DECADES);
  return [10 ** Math.min(bottom, top - 1), 10 ** top];
}

// Ticks at whole decades, a few of them (uPlot's own log splits loop forever on some tiny ranges).
function logSplits(u) {
  const low = Math.ceil(Math.log10(u.scales.y.min) - 1e-9);
  const high = Math.floor(Math.log10(u.scales.y.max) + 1e-9);
  const every = Math.max(1, Math.ceil((high - low + 1) / 8));
  const splits = [];
  for (let exponent = high; exponent >= low; exponent -= every) splits.unshift(10 ** exponent);
  return splits;
}

let drawnResolve = null;
function chartDrawn() {
  if (app.pendingStart !== undefined) {
    app.timings.push({ steps: app.settings.epochs * app.settings.steps_per_epoch, ms: performance.now() - app.pendingStart, simulate: app.simulateMs });
    app.pendingStart = undefined;
  }
  if (drawnResolve) drawnResolve();
  drawnResolve = null;
}

let chartShape = "";
function drawCharts() {
  const data = chartData();
  const look = palette();
  // The width is read only for a new chart (reading it forces a layout); ResizeObserver resizes.
  // A new chart when what the options depend on changes (series, scale, palette, epochs); new data
  // alone goes through setData, which is what keeps a 100,000-step curve fast.
  const shape = JSON.stringify([data.list.map((c) => [c.index, c.result.lr.length <= 64]), data.withMomentum.map((c) => c.index), app.settings.yscale, look.scheme, app.settings.steps_per_epoch, LANGUAGE]);
  if (!data.list.length) {
    for (const key of ["lr", "momentum"]) if (app.charts[key]) app.charts[key].destroy(), (app.charts[key] = null);
    chartShape = "";
    chartBox.hidden = true;
    momentumBox.hidden = true;
    chartDrawn();
    return;
  }
  chartBox.hidden = false;
  if (shape !== chartShape || !app.charts.lr) {
    for (const key of ["lr", "momentum"]) if (app.charts[key]) app.charts[key].destroy(), (app.charts[key] = null);
    chartShape = shape;
    const width = Math.max(200, chartBox.clientWidth || root.clientWidth || 600);
    app.charts.lr = new uPlot(chartOptions("lr", data.list, look.colours, app.settings.steps_per_epoch, width), data.lr, chartBox);
    if (data.withMomentum.length) {
      momentumBox.hidden = false;
      app.charts.momentum = new uPlot(chartOptions("momentum", data.withMomentum, look.colours, app.settings.steps_per_epoch, width), data.momentum, momentumBox);
    } else {
      momentumBox.hidden = true;
    }
    attachTouch(app.charts.lr);
    if (app.charts.momentum) attachTouch(app.charts.momentum);
  } else {
    app.charts.lr.setData(data.lr);
    if (app.charts.momentum) app.charts.momentum.setData(data.momentum);
  }
  logNote.hidden = !data.dropped;
}

function attachTouch(u) {
  const move = (event) => {
    const touch = event.touches[0];
    if (!touch) return;
    const box = u.over.getBoundingClientRect();
    u.setCursor({ left: touch.clientX - box.left, top: touch.clientY - box.top });
  };
  u.over.addEventListener("touchstart", move, { passive: true });
  u.over.addEventListener("touchmove", move, { passive: true });
}

let cursorIndex = null;
function showReadout(index) {
  const list = curves();
  if (index === null || index === undefined || !list.length) {
    readout.replaceChildren(t("readoutIdle"));
    for (const value of legend.querySelectorAll(".lrx-legend__value")) value.textContent = "";
    return;
  }
  cursorIndex = index;
  const current = list[0];
  const stepsPerEpoch = current.settings.steps_per_epoch;
  const parts = [
    [t("readoutStep"), String(index)],
    [t("readoutEpoch"), String(Math.floor(index / stepsPerEpoch))],
  ];
  if (index < current.result.lr.length) {
    parts.push([t("readoutLr"), pyRepr(current.result.lr[index])]);
    if (momentumVaries(current.result) || app.pins.length === 0) parts.push([t("readoutMomentum"), pyRepr(current.result.momentum[index])]);
  }
  readout.replaceChildren(...parts.flatMap(([name, value], i) => [i ? " · " : "", `${name} `, el("strong", { text: value })]));
  legend.querySelectorAll("li").forEach((item) => {
    const curve = list.find((c) => String(c.index) === item.dataset.index);
    const slot = item.querySelector(".lrx-legend__value");
    if (!curve || !slot) return;
    slot.textContent = index < curve.result.lr.length ? ` lr = ${pyRepr(curve.result.lr[index])}` : "";
  });
}

function moveCursor(delta, absolute) {
  const u = app.charts.lr;
  if (!u) return;
  const length = u.data[0].length;
  let index = absolute !== undefined ? absolute : (cursorIndex ?? -1) + delta;
  index = Math.max(0, Math.min(length - 1, index));
  const y = u.data[1][index];
  u.setCursor({ left: u.valToPos(index, "x"), top: y === null || y === undefined ? u.bbox.height / devicePixelRatio / 2 : u.valToPos(y, "y") });
}

chartBox.addEventListener("keydown", (event) => {
  const perEpoch = app.settings.steps_per_epoch;
  const keys = { ArrowRight: [1], ArrowLeft: [-1], PageDown: [perEpoch], PageUp: [-perEpoch], Home: [0, 0], End: [0, Infinity] };
  if (!(event.key in keys)) return;
  event.preventDefault();
  const [delta, absolute] = keys[event.key];
  moveCursor(delta, absolute);
});

// ------------------------------------------------------------------------ numbers and text

const numbers = el("dl", { class: "lrx-numbers" });
const lengthNote = el("p", { class: "lrx-help" });
const alertBox = el("div", { class: "lrx-alert", role: "alert" });
const urlBox = el("div", { class: "lrx-url-problems" });

function showNumbers() {
  numbers.replaceChildren();
  const s = app.settings;
  lengthNote.textContent = t("stepsTotal", { steps: s.epochs * s.steps_per_epoch, epochs: s.epochs, per: s.steps_per_epoch });
  readout.hidden = !app.result;
  if (!app.result || !app.result.lr.length) return;
  const lr = app.result.lr;
  let peak = 0;
  let low = 0;
  for (let i = 1; i < lr.length; i++) {
    if (lr[i] > lr[peak]) peak = i;
    if (lr[i] < lr[low]) low = i;
  }
  const entry = (name, value, step) => [el("dt", { text: t(name) }), el("dd", {}, el("strong", { text: pyRepr(value) }), step === undefined ? "" : ` ${t("atStep", { step })}`)];
  numbers.append(...entry("start", lr[0]), ...entry("peak", lr[peak], peak), ...entry("end", lr[lr.length - 1]), ...entry("minimum", lr[low], low));
}

/** The parameters of the settings that torch's message names (as whole words). */
function namedParams(settings, message) {
  const classes = state.isComposite(settings.scheduler) ? [settings.scheduler, ...settings.kwargs.schedulers.map((sub) => sub.scheduler)] : [settings.scheduler];
  const names = new Set(classes.flatMap((name) => state.paramsOf(name).map((param) => param.name)));
  return [...names].filter((name) => new RegExp(`(^|[^A-Za-z0-9_])${name}([^A-Za-z0-9_]|$)`).test(message));
}

function showProblems() {
  alertBox.replaceChildren();
  if (app.error) {
    alertBox.append(el("p", { class: "lrx-alert__title", text: t("refused") }), el("p", {}, code(`${app.error.type}: ${app.error.message}`)));
    if (t("refusedExplain")) alertBox.append(el("p", { class: "lrx-alert__explain", text: t("refusedExplain") }));
    const involved = namedParams(app.settings, app.error.message);
    if (involved.length) alertBox.append(el("p", { class: "lrx-alert__explain" }, t("involved", { names: involved.join(", ") })));
  }
  const partWay = showRunProblems();
  alertBox.classList.toggle("lrx-alert--shown", Boolean(app.error) || partWay);
  // No warnings box: in the explorer's loop torch warns nothing (the engine tests compare the
  // warnings of thousands of settings with torch's: none on either side).
  urlBox.replaceChildren();
  if (app.urlErrors.length) {
    urlBox.append(
      el("p", { text: t("urlProblems") }),
      el("ul", {}, app.urlErrors.map((error) => el("li", {}, code(`${error.param}=${error.value}`), ` ${error.text || STRINGS[LANGUAGE].problems[error.problem] || error.problem}`))),
    );
  }
  urlBox.hidden = !app.urlErrors.length;
}

/** A run torch stopped part-way (its exception) or one that reached inf/nan, in the alert box. */
function showRunProblems() {
  const result = app.result;
  if (!result || (!result.stopped && !result.nonFinite)) return false;
  if (result.stopped) {
    const { step, type, message } = result.stopped;
    alertBox.append(el("p", { class: "lrx-alert__title", text: t("stopped", { last: step - 1, steps: step }) }), el("p", {}, code(`${type}: ${message}`)));
  }
  if (result.nonFinite) {
    const { step, value, series } = result.nonFinite;
    alertBox.append(el("p", { class: "lrx-alert__explain", text: t("nonFinite", { step, value: pyRepr(value), series: t(series === "lr" ? "readoutLr" : "readoutMomentum") }) }));
  }
  return true;
}

function showLegend() {
  const list = curves();
  legend.replaceChildren();
  const colours = palette().colours;
  const entries = [{ index: 0, settings: app.settings, result: app.result, name: t("current") }, ...app.pins.map((pin, i) => ({ index: i + 1, settings: pin.settings, result: pin.result, name: t("pinned", { n: i + 1 }) }))];
  if (!app.pins.length) {
    legend.hidden = true;
    return;
  }
  legend.hidden = false;
  for (const entry of entries) {
    const item = el(
      "li",
      { "data-index": entry.index },
      el("span", { class: "lrx-swatch", style: `background:${colours[entry.index]}`, "aria-hidden": "true" }),
      el("span", { class: "lrx-legend__name", text: `${entry.name}${LANGUAGE === "zh" ? "：" : ": "}` }),
      code(state.label(entry.settings)),
      el("span", { class: "lrx-legend__value" }),
    );
    if (entry.index > 0) {
      const pinIndex = entry.index - 1;
      item.append(
        el("button", {
          type: "button",
          class: "md-button lrx-unpin",
          text: t("unpin"),
          "aria-label": t("unpinLabel", { n: entry.index }),
          onclick: () => {
            app.pins.splice(pinIndex, 1);
            showLegend();
            updatePinButton();
            drawCharts();
            writeUrl();
            pinButton.focus();
          },
        }),
      );
    }
    legend.append(item);
  }
  void list;
}

const pinButton = el("button", { type: "button", class: "md-button lrx-pin", text: t("pin") });
const pinHelp = el("p", { class: "lrx-help", id: "lrx-pin-help" });
pinButton.setAttribute("aria-describedby", "lrx-pin-help");
function updatePinButton() {
  const full = app.pins.length >= state.MAX_PINS;
  pinButton.disabled = full || !app.result;
  pinHelp.textContent = full ? t("pinsFull", { max: state.MAX_PINS }) : t("pinHelp", { max: state.MAX_PINS });
}
pinButton.addEventListener("click", () => {
  if (app.pins.length >= state.MAX_PINS || !app.result) return;
  app.pins.push({ settings: structuredClone(app.settings), result: app.result });
  showLegend();
  updatePinButton();
  drawCharts();
  writeUrl();
});

// ------------------------------------------------------------------------- code and CSV

const codeHost = document.getElementById("lr-explorer-code");
const PY_TOKEN = /(#[^\n]*)|("""[\s\S]*?""")|("(?:[^"\\\n]|\\.)*")|(\b\d+(?:\.\d*)?(?:[eE][+-]?\d+)?\b)|([A-Za-z_]\w*)|(\*\*|[-+*/%=<>!]=?|[()[\]{},.:])/g;
const PY_KEYWORDS = new Set(["for", "in", "def", "class", "return", "if", "else", "lambda", "and", "or", "not"]);
const PY_IMPORT = new Set(["import", "from", "as"]);
const PY_CONSTANTS = new Set(["None", "True", "False"]);
const PY_BUILTINS = new Set(["range", "min", "max", "float", "int", "len", "super", "print"]);

/** The program as Pygments-classed spans, so Material styles it like the site's other code. */
function highlighted(source) {
  const nodes = [];
  let last = 0;
  for (const match of source.matchAll(PY_TOKEN)) {
    if (match.index > last) nodes.push(document.createTextNode(source.slice(last, match.index)));
    const [token, comment, docstring, string, number, name] = match;
    let cls = "p";
    if (comment) cls = "c1";
    else if (docstring) cls = "sd";
    else if (string) cls = "s2";
    else if (number) cls = /[.eE]/.test(number) ? "mf" : "mi";
    else if (name) cls = PY_IMPORT.has(name) ? "kn" : PY_KEYWORDS.has(name) ? "k" : PY_CONSTANTS.has(name) ? "kc" : PY_BUILTINS.has(name) ? "nb" : "n";
    else if (/^[-+*/%=<>!]/.test(token)) cls = "o";
    nodes.push(el("span", { class: cls, text: token }));
    last = match.index + token.length;
  }
  if (last < source.length) nodes.push(document.createTextNode(source.slice(last)));
  return nodes;
}

let programText = "";
function showCode() {
  const target = codeHost && codeHost.querySelector("pre > code");
  if (!target) return;
  programText = pythonProgram(app.settings, LANGUAGE);
  target.replaceChildren(...highlighted(programText));
}

const csvButton = el("button", { type: "button", class: "md-button lrx-csv", text: t("csv"), "aria-describedby": "lrx-csv-help" });
csvButton.addEventListener("click", () => {
  if (!app.result) return;
  const blob = new Blob([csvText(app.result, app.settings.steps_per_epoch)], { type: "text/csv" });
  const link = el("a", { href: URL.createObjectURL(blob), download: `${app.settings.scheduler}.csv` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
});

// --------------------------------------------------------------------------------- the URL

function writeUrl() {
  const query = state.toQuery(app.settings, app.pins.map((pin) => pin.settings));
  const url = `${location.pathname}?${query}${location.hash}`;
  history.replaceState(history.state, "", url);
  // Material's language switcher links are plain <a> to the twin page: take the state along.
  for (const link of document.querySelectorAll("a[hreflang]")) {
    const href = link.getAttribute("href").split("?")[0].split("#")[0];
    link.setAttribute("href", `${href}?${query}`);
  }
}

// ------------------------------------------------------------------------------ the update

let timer = null;
let afterTimer = null;
function changed() {
  clearTimeout(timer);
  timer = setTimeout(update, DEBOUNCE_MS);
}

function update() {
  clearTimeout(timer);
  const drawn = new Promise((resolve) => (drawnResolve = resolve));
  app.pendingStart = performance.now();
  const { result, error } = run(app.settings);
  app.simulateMs = performance.now() - app.pendingStart;
  app.result = result;
  app.error = error;
  drawCharts();
  showNumbers();
  showProblems();
  showLegend();
  updatePinButton();
  csvButton.disabled = !result;
  showReadout(null);
  // The program and the address follow right after the chart is drawn, not before it.
  clearTimeout(afterTimer);
  afterTimer = setTimeout(() => {
    showCode();
    writeUrl();
  }, 0);
  return drawn.then(() => new Promise((resolve) => setTimeout(resolve, 0)));
}

function layout() {
  const yName = `lrx-yscale-${++uid}`;
  const yScale = el(
    "fieldset",
    { class: "lrx-yscale" },
    el("legend", { text: t("yScale") }),
    ["linear", "log"].map((scale) => {
      const id = `${yName}-${scale}`;
      const radio = el("input", { type: "radio", name: yName, id, value: scale });
      radio.checked = app.settings.yscale === scale;
      radio.addEventListener("change", () => {
        if (!radio.checked) return;
        app.settings.yscale = scale;
        drawCharts();
        showCode();
        writeUrl();
      });
      return el("span", { class: "lrx-radio" }, radio, el("label", { for: id, text: t(scale) }));
    }),
  );
  chartBox.setAttribute("aria-label", t("chartLabel"));
  momentumBox.setAttribute("aria-label", t("momentumChartLabel"));
  const view = el(
    "section",
    { class: "lrx-view", "aria-label": t("chartTitle") },
    urlBox,
    alertBox,
    el("div", { class: "lrx-toolbar" }, yScale, pinButton),
    pinHelp,
    legend,
    chartBox,
    momentumBox,
    logNote,
    readout,
    el("h2", { class: "lrx-heading", text: t("numbers") }),
    numbers,
    lengthNote,
  );
  const controls = el("section", { class: "lrx-controls", "aria-label": t("parameters") }, pasteBox(), form);
  const output = el(
    "section",
    { class: "lrx-output" },
    el("h2", { class: "lrx-heading", text: t("code") }),
    el("p", { class: "lrx-help", text: t("codeHelp") }),
    el("p", {}, csvButton),
    el("p", { class: "lrx-help", id: "lrx-csv-help", text: t("csvHelp") }),
  );
  root.replaceChildren(el("div", { class: "lrx-main" }, view, controls));
  if (codeHost) output.append(codeHost);
  root.after(output);
}

// ------------------------------------------------------------------------- the reader's code

// paste.js (with parse.js) is loaded when first needed, the paste box opened or `?code=` given, so
// the first visit stays within its budget. It imports nothing the page holds: that comes in ctx.
const loadPaste = () => import("./paste.js");
// What paste.js needs of the state, as named members: the `state` namespace itself as a value would
// make the bundler add a runtime chunk to the first download.
const pasteContext = () => ({
  engine: { SCHEDULERS, LAMBDAS, _python },
  state: {
    DERIVED: state.DERIVED,
    MAX_STEPS: state.MAX_STEPS,
    MAX_SUB_SCHEDULERS: state.MAX_SUB_SCHEDULERS,
    TRAINING: state.TRAINING,
    defaultSettings: state.defaultSettings,
    fullKwargs: state.fullKwargs,
    isComposite: state.isComposite,
    presetKwargs: state.presetKwargs,
    shorten: state.shorten,
    subSchedulerClasses: state.subSchedulerClasses,
    label: state.label,
  },
  language: LANGUAGE,
  problems: STRINGS[LANGUAGE].problems,
  app,
  el,
  code,
  rebuildForm,
  changed,
  showFieldProblem,
});

/** `?code=<the reader's code>`: its settings (the address is then rewritten in the usual form). */
async function queryOrCode(search) {
  const code = new URLSearchParams(search).get("code");
  if (code === null) return state.parseQuery(search);
  return (await loadPaste()).codeSettings(code, pasteContext());
}

/** "Paste your code": a closed <details>; opened the first time, paste.js fills it. */
function pasteBox() {
  const box = el("details", { class: "lrx-paste", id: nextId("paste") }, el("summary", { text: t("pasteLabel") }));
  box.addEventListener("toggle", async () => {
    if (!box.open || box.dataset.filled) return;
    box.dataset.filled = "true";
    (await loadPaste()).fillPasteBox(box, pasteContext());
  });
  return box;
}

/** The link's pins torch runs; each one torch refuses is named in the problems box, with torch's message. */
function pinsTorchTakes(pins) {
  const kept = [];
  for (const settings of pins) {
    const { result, error } = run(settings);
    if (result) kept.push({ settings, result });
    else app.urlErrors.push({ param: "pin", value: state.shorten(state.label(settings)), problem: "refused_pin", text: `${STRINGS[LANGUAGE].problems.refused_pin}: ${error.type}: ${error.message}` });
  }
  return kept;
}

async function start() {
  if (!root || typeof uPlot === "undefined") return;
  const parsed = await queryOrCode(location.search);
  app.settings = parsed.settings;
  app.urlErrors = parsed.errors;
  app.pins = pinsTorchTakes(parsed.pins);
  layout();
  rebuildForm();
  const first = update();
  // Redraw in the other palette when the reader switches it (Material sets the attribute on <body>).
  new MutationObserver(() => {
    chartShape = "";
    drawCharts();
    showLegend();
  }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
  let width = chartBox.clientWidth;
  new ResizeObserver(() => {
    if (chartBox.clientWidth === width || !app.charts.lr) return;
    width = chartBox.clientWidth;
    for (const key of ["lr", "momentum"]) if (app.charts[key]) app.charts[key].setSize({ width: Math.max(200, width), height: key === "lr" ? CHART_HEIGHT : MOMENTUM_HEIGHT });
  }).observe(chartBox);
  // For tests and the curious: the state, and a way to change it and wait for the chart.
  window.lrExplorer = {
    torch: TORCH_VERSION,
    app,
    state: { toQuery: state.toQuery, parseQuery: state.parseQuery, engineSettings: state.engineSettings }, // (bench/explorer.py)
    set(changes) {
      Object.assign(app.settings, changes);
      rebuildForm();
      return update();
    },
    program: () => programText,
  };
  first.then(() => (root.dataset.ready = "true"));
}

start();
