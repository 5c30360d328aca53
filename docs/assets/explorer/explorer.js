// The explorer page: the form built from the engine's parameter spec, the URL state, the charts
// (uPlot, loaded by the page as the global `uPlot`), the key numbers, pins, the Python program and
// the CSV. Everything from the URL or a form field is data: the DOM is built with createElement and
// textContent only.

import { SCHEDULERS, LAMBDAS, METRICS, TORCH_VERSION, simulate, _python } from "./engine.js";
import * as state from "./state.js";
import { pyRepr, pythonProgram } from "./python.js";
import { STRINGS, helpText, text } from "./strings.js";

const root = document.getElementById("lr-explorer");
const LANGUAGE = root && root.dataset.language === "zh" ? "zh" : "en";
const t = (key, values) => text(LANGUAGE, key, values);
const DEBOUNCE_MS = 60;
// Canvas text takes no CSS variables: Material's font stack (font: false, so the system's fonts).
const FONT = '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica, Arial, "Noto Sans CJK SC", sans-serif';
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
  charts: { lr: null, momentum: null, metric: null },
  marks: null, // {kind, steps}: where the current schedule changes course (eventMarks)
  drawn: null, // resolves when the chart has drawn the latest data
};

// The last run, by its engine settings: the first draw asks for the same run twice (once to size
// the charts' boxes before they are drawn, once to draw them), which a long run would pay twice.
let lastRun = { key: null, value: null };
function run(settings) {
  const engineSettings = state.engineSettings(settings);
  const key = JSON.stringify(engineSettings);
  if (key === lastRun.key) return lastRun.value;
  let value;
  try {
    value = { result: simulate(engineSettings), error: null };
  } catch (error) {
    if (error && typeof error.type === "string") value = { result: null, error };
    else throw error;
  }
  lastRun = { key, value };
  return value;
}

// ----------------------------------------------------------------------------- the form

let uid = 0;
const nextId = (stem) => `lrx-${stem}-${++uid}`;

// Slider ranges where a range is natural: [min, max, step]; `steps` = up to the run's length.
const FRACTION = [0, 1, 0.01];
const SLIDERS = {
  ...Object.fromEntries(
    ["factor", "start_factor", "end_factor", "pct_start", "gamma", "momentum", "base_momentum", "max_momentum"].map((name) => [name, FRACTION]),
  ),
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
// On a phone the chart sticks above the fields: a field the browser scrolled to on focus must not
// end up under it.
form.addEventListener("focusin", (event) => {
  if (window.innerWidth >= 960) return;
  requestAnimationFrame(() => {
    const figure = root.querySelector(".lrx-figure");
    if (!figure) return;
    const cover = figure.getBoundingClientRect().bottom + 8;
    const box = event.target.getBoundingClientRect();
    if (box.top < cover) window.scrollBy(0, box.top - cover);
    else if (box.bottom > window.innerHeight) window.scrollBy(0, box.bottom - window.innerHeight + 8);
  });
});

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
    const subs = settings.kwargs.schedulers;
    settings.kwargs.schedulers.forEach((sub, index) => {
      const subId = nextId(`s${index}`);
      const box = el(
        "fieldset",
        { class: "lrx-group lrx-group--sub" },
        el("legend", {}, t("subScheduler", { n: index + 1 }), " ", code(`s${index}`)),
        subs.length > 1
          ? el("button", { type: "button", class: "md-button lrx-remove", text: t("removeScheduler"), "aria-label": t("removeSchedulerLabel", { n: index + 1 }), onclick: () => removeSub(index) })
          : null,
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
    kwargsBox.append(
      el(
        "p",
        { class: "lrx-subs" },
        el("button", { type: "button", class: "md-button lrx-add", text: t("addScheduler"), disabled: subs.length >= state.MAX_SUB_SCHEDULERS, onclick: addSub }),
        " ",
        el("span", { class: "lrx-help", text: t("subLimit", { max: state.MAX_SUB_SCHEDULERS }) }),
      ),
    );
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

/** A composition gets one more sub-scheduler (SequentialLR: its milestone halfway between the last
 * one and the end of the run), or loses one (with the milestone where it took over). */
function addSub() {
  const kwargs = app.settings.kwargs;
  if (kwargs.schedulers.length >= state.MAX_SUB_SCHEDULERS) return;
  kwargs.schedulers.push(state.defaultSubScheduler("ConstantLR"));
  if (Array.isArray(kwargs.milestones)) {
    const calls = app.settings.step_every === "batch" ? app.settings.epochs * app.settings.steps_per_epoch : app.settings.epochs;
    const last = kwargs.milestones.length ? kwargs.milestones[kwargs.milestones.length - 1] : 0;
    kwargs.milestones.push(Math.max(last + 1, Math.floor((last + calls) / 2)));
  }
  rebuildForm();
  changed();
  const buttons = form.querySelectorAll(".lrx-remove");
  if (buttons.length) buttons[buttons.length - 1].focus();
}

function removeSub(index) {
  const kwargs = app.settings.kwargs;
  if (kwargs.schedulers.length <= 1) return;
  kwargs.schedulers.splice(index, 1);
  if (Array.isArray(kwargs.milestones) && kwargs.milestones.length) kwargs.milestones.splice(Math.max(0, index - 1), 1);
  rebuildForm();
  changed();
  form.querySelector(".lrx-add").focus();
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
    events: scheme === "slate" ? "rgba(226, 228, 233, 0.6)" : "rgba(0, 0, 0, 0.5)",
    stop: read("--lrx-stop", scheme === "slate" ? "#e91e63" : "#880e4f"),
  };
}

/** A number as the page shows it: four significant digits (4e-5, 9.993e-4, 0.25, 1234) and
 * Python's inf and nan. The full value, Python's repr, is the element's data-full (shown on hover
 * and focus by explorer.css); the CSV and the program hold full values only. */
function shortValue(value) {
  if (value === null || value === undefined) return "–";
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  if (value === 0) return "0";
  const rounded = Number(value.toPrecision(4));
  const size = Math.abs(rounded);
  if (size >= 1e-3 && size < 1e5) return String(rounded);
  return rounded.toExponential().replace("e+", "e");
}

function numberNode(value, focusable = false) {
  return el("strong", { class: "lrx-num", "data-full": pyRepr(value), tabindex: focusable ? "0" : null, text: shortValue(value) });
}

// The x axis: steps, epochs (step / steps_per_epoch) or the fraction of training (step / steps),
// each curve by its own training length, so runs of different lengths compare shape to shape. The
// address holds it as `xaxis=epoch|fraction` (read and written here, beside state.js's query).
const X_MODES = ["step", "epoch", "fraction"];
const view = { x: "step" };
const stepsPerX = (curve) => (view.x === "epoch" ? curve.settings.steps_per_epoch : view.x === "fraction" ? curve.settings.epochs * curve.settings.steps_per_epoch : 1);
const xOf = (curve, step) => (view.x === "step" ? step : step / stepsPerX(curve));
const stepAt = (curve, x) => (view.x === "step" ? Math.round(x) : Math.floor(x * stepsPerX(curve) + 1e-7));

/** Where the current curve's schedule changes course, in steps: ReduceLROnPlateau's reductions,
 * SequentialLR's hand-overs, warm restarts, CyclicLR's cycle starts. A scheduler.step() call c
 * shows first in the lr of step c (stepped per batch) or c * steps_per_epoch (per epoch). */
function eventMarks(settings, result) {
  const n = result.lr.length;
  const unit = settings.step_every === "batch" ? 1 : settings.steps_per_epoch;
  const k = settings.kwargs;
  const steps = [];
  const MOST = 100000;
  if (settings.scheduler === "ReduceLROnPlateau") {
    for (let i = 1; i < n && steps.length < MOST; i++) if (result.lr[i] < result.lr[i - 1]) steps.push(i);
    return { kind: "marksReductions", steps };
  }
  if (settings.scheduler === "SequentialLR") {
    for (const milestone of k.milestones || []) if (milestone * unit < n && milestone > 0) steps.push(milestone * unit);
    return { kind: "marksHandovers", steps };
  }
  if (settings.scheduler === "CosineAnnealingWarmRestarts" && k.T_0 >= 1 && k.T_mult >= 1) {
    for (let period = k.T_0, call = k.T_0; call * unit < n && steps.length < MOST; period *= k.T_mult, call += period) steps.push(call * unit);
    return { kind: "marksRestarts", steps };
  }
  if (settings.scheduler === "CyclicLR") {
    const cycle = k.step_size_up + (k.step_size_down === null || k.step_size_down === undefined ? k.step_size_up : k.step_size_down);
    if (cycle > 0) for (let call = cycle; call * unit < n && steps.length < MOST; call += cycle) steps.push(call * unit);
    return { kind: "marksCycles", steps };
  }
  return null;
}

/** The metric handed to scheduler.step(metric) after each step (null where it is not called). */
function metricValues(settings, length) {
  if (settings.scheduler !== "ReduceLROnPlateau" || !METRICS[settings.metric]) return null;
  const fn = METRICS[settings.metric].fn;
  const per = settings.steps_per_epoch;
  const values = new Array(length);
  for (let i = 0; i < length; i++) values[i] = settings.step_every === "batch" ? fn(i) : (i + 1) % per === 0 ? fn((i + 1) / per - 1) : null;
  return values;
}

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

/** Vertical lines at x values: one path, at most one line per device pixel. */
function strokeLines(u, xValues, colour, dash) {
  const { ctx } = u;
  const [min, max] = [u.scales.x.min, u.scales.x.max];
  ctx.save();
  ctx.strokeStyle = colour;
  ctx.lineWidth = dash.length ? 1 : 1.5 * devicePixelRatio;
  ctx.setLineDash(dash);
  ctx.beginPath();
  let last = -Infinity;
  for (const value of xValues) {
    if (value <= min || value > max) continue;
    const x = Math.round(u.valToPos(value, "x", true)) + 0.5;
    if (x - last < 1) continue;
    last = x;
    ctx.moveTo(x, u.bbox.top);
    ctx.lineTo(x, u.bbox.top + u.bbox.height);
  }
  ctx.stroke();
  ctx.restore();
}

function drawMarks(u, look) {
  const current = curves()[0];
  if (!current) return;
  const per = current.settings.steps_per_epoch;
  const [min, max] = [u.scales.x.min, u.scales.x.max];
  const epochs = [];
  const first = Math.max(1, Math.ceil(stepAt(current, min) / per));
  const count = Math.max(0, stepAt(current, max) / per - first);
  const every = Math.max(1, Math.ceil(count / 200));
  for (let epoch = first; xOf(current, epoch * per) <= max && epochs.length < 1000; epoch += every) epochs.push(xOf(current, epoch * per));
  strokeLines(u, epochs, look.marks, [4 * devicePixelRatio, 4 * devicePixelRatio]);
  if (app.marks) strokeLines(u, app.marks.steps.map((step) => xOf(current, step)), look.events, []);
  // Where torch stopped (the alert box gives its message): the first step without a value.
  if (current.result.stopped) strokeLines(u, [xOf(current, current.result.stopped.step)], look.stop, []);
}

const chartBox = el("div", { class: "lrx-chart", tabindex: "0", role: "img" });
const momentumBox = el("div", { class: "lrx-chart lrx-chart--momentum", role: "img", hidden: true });
const metricBox = el("div", { class: "lrx-chart lrx-chart--metric", role: "img", hidden: true });
const readout = el("p", { class: "lrx-readout", "aria-live": "polite" });
const legend = el("ul", { class: "lrx-legend", "aria-label": t("legend") });
const logNote = el("p", { class: "lrx-note", hidden: true, text: t("logDropped") });
const nonFiniteNote = el("p", { class: "lrx-note lrx-note--nonfinite", hidden: true });
const marksNote = el("p", { class: "lrx-note lrx-note--marks" });

function curves() {
  const list = [];
  if (app.result) list.push({ settings: app.settings, result: app.result, label: t("current"), index: 0 });
  app.pins.forEach((pin, index) => pin.result && list.push({ settings: pin.settings, result: pin.result, label: t("pinned", { n: index + 1 }), index: index + 1 }));
  return list;
}

const finiteLengths = new WeakMap();
/** Steps before the first inf or nan in a run's lr: what the chart can draw (torch overflows to
 * inf, e.g. ExponentialLR(gamma=2.0) from step 1034, and then goes on with inf). */
function finiteSteps(result) {
  if (!finiteLengths.has(result)) {
    let n = 0;
    while (n < result.lr.length && Number.isFinite(result.lr[n])) n++;
    finiteLengths.set(result, n);
  }
  return finiteLengths.get(result);
}

let xsCache = { key: "", values: [] };
function xValues(curve, length) {
  const key = `${view.x}:${length}:${stepsPerX(curve)}`;
  if (xsCache.key !== key) xsCache = { key, values: Array.from({ length }, (_, step) => xOf(curve, step)) };
  return xsCache.values;
}

/** `values` for a chart of `length` points: null past `finite` and, on a log axis, where not > 0. */
function cut(values, finite, length, positiveOnly) {
  if (values.length === length && finite === length && !positiveOnly) return values;
  const out = new Array(length);
  for (let i = 0; i < length; i++) {
    const value = i < finite ? values[i] : null;
    out[i] = positiveOnly && value !== null && !(value > 0) ? null : value;
  }
  return out;
}

/** Curves whose x values differ (other lengths or epochs), merged on one sorted x: each curve null
 * where it has no step. Each x list is increasing, so this is a k-way merge. */
function merge(xLists, yLists) {
  const position = xLists.map(() => 0);
  const x = [];
  const ys = yLists.map((list) => list.map(() => []));
  for (;;) {
    let next = Infinity;
    xLists.forEach((list, c) => position[c] < list.length && list[position[c]] < next && (next = list[position[c]]));
    if (next === Infinity) break;
    x.push(next);
    xLists.forEach((list, c) => {
      const here = position[c] < list.length && list[position[c]] === next;
      yLists[c].forEach((values, j) => ys[c][j].push(here ? values[position[c]] : null));
      if (here) position[c] += 1;
    });
  }
  return [x, ys];
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
  const log = app.settings.yscale === "log";
  const finite = list.map((curve) => finiteSteps(curve.result));
  const withMomentum = list.filter((curve) => momentumVaries(curve.result));
  const metric = list.length && list[0].index === 0 ? metricValues(app.settings, finite[0]) : null;
  let dropped = false;
  if (log) list.forEach((curve, c) => { for (let i = 0; i < finite[c] && !dropped; i++) dropped = !(curve.result.lr[i] > 0); });
  const shared = view.x === "step" || list.every((curve) => stepsPerX(curve) === stepsPerX(list[0]));
  let x;
  let lr;
  let momentum;
  let metricSeries = null;
  if (shared || !list.length) {
    // The whole run's steps, so the x axis shows where a curve stops being finite, or torch stopped.
    const length = Math.max(1, ...list.map(({ result, settings }) => (result.stopped ? settings.epochs * settings.steps_per_epoch : result.lr.length)));
    x = list.length ? xValues(list[0], length) : [0];
    lr = list.map((curve, c) => cut(curve.result.lr, finite[c], length, log));
    momentum = withMomentum.map((curve) => cut(curve.result.momentum, finiteSteps(curve.result), length, false));
    if (metric) metricSeries = cut(metric, metric.length, length, false);
  } else {
    const xLists = list.map((curve, c) => Array.from({ length: finite[c] }, (_, step) => xOf(curve, step)));
    const yLists = list.map((curve, c) => [cut(curve.result.lr, finite[c], finite[c], log), curve.result.momentum, ...(c === 0 && metric ? [metric] : [])]);
    const [mergedX, ys] = merge(xLists, yLists);
    x = mergedX;
    lr = ys.map((series) => series[0]);
    momentum = withMomentum.map((curve) => ys[list.indexOf(curve)][1]);
    if (metric) metricSeries = ys[0][2];
  }
  return { list, shared, lr: [x, ...lr], momentum: [x, ...momentum], metric: metricSeries && [x, metricSeries], withMomentum, dropped, finite };
}

/** Chart heights: on a phone the chart stays in view above the fields (sticky), so it is short;
 * on a wide screen the lr and momentum charts fit the window with the toolbar and readout. */
function chartHeight(kind) {
  const narrow = window.innerWidth < 960;
  const lr = narrow ? 190 : Math.max(180, Math.min(300, Math.round((window.innerHeight - 420) * 0.6)));
  return kind === "lr" ? lr : Math.max(130, Math.round(lr / 2));
}

function chartOptions(kind, series, colours, width, shared) {
  const look = palette();
  const current = curves()[0];
  const log = kind === "lr" && app.settings.yscale === "log";
  const axis = { stroke: look.text, grid: { stroke: look.grid, width: 1 }, ticks: { stroke: look.grid, width: 1 }, font: `12px ${FONT}`, labelFont: `bold 12px ${FONT}` };
  const yLabel = t(kind === "lr" ? "lrAxis" : kind === "momentum" ? "momentumAxis" : "metricAxis");
  const fine = (u, splits) => splits.map((v) => String(Number(v.toPrecision(6))));
  const axes = [
    { ...axis, scale: "x", label: t(view.x === "step" ? "stepAxis" : view.x === "epoch" ? "epochAxis" : "fractionAxis"), values: view.x === "step" ? (u, splits) => splits.map((v) => String(Math.round(v))) : fine, space: 60 },
    // Chinese reads upright: the label is an HTML element beside the axis (uprightLabel), not uPlot's sideways text.
    { ...axis, scale: "y", label: LANGUAGE === "zh" ? " " : yLabel, size: 72, space: kind === "lr" ? 30 : 18, values: (u, splits) => splits.map(shortValue), incrs: log ? undefined : Y_INCRS, splits: log ? logSplits : undefined, filter: log ? (u, splits) => splits : undefined },
  ];
  if (kind === "lr" && view.x === "step" && current) {
    const per = current.settings.steps_per_epoch;
    axes.splice(1, 0, { ...axis, scale: "x", side: 0, label: t("epochAxis"), grid: { show: false }, splits: (u) => epochSplits(u, per), values: (u, splits) => splits.map((v) => String(Math.round(v / per))), size: 36 });
  }
  const lines =
    kind === "metric"
      ? [{ label: yLabel, stroke: look.text, width: 1.5, points: { show: series[0].result.lr.length <= 64 || app.settings.step_every === "epoch" }, spanGaps: true }]
      : series.map((curve, position) => ({ label: curve.label, stroke: colours[curve.index], width: position === 0 && curve.index === 0 ? 2 : 1.5, points: { show: curve.result.lr.length <= 64 }, spanGaps: !shared }));
  return {
    width,
    height: chartHeight(kind),
    legend: { show: false },
    cursor: { sync: { key: "lrx" }, drag: { x: true, y: false }, points: { size: 7 } },
    scales: { x: { time: false }, y: log ? { distr: 3, log: 10, range: logRange } : { auto: true, range: linearRange } },
    axes,
    series: [{}, ...lines],
    hooks: {
      draw: [(u) => drawMarks(u, look), () => kind === "lr" && chartDrawn()],
      setCursor: [(u) => kind === "lr" && u.cursor.idx !== null && u.cursor.idx !== undefined && showReadout(u.cursor.idx)],
    },
  };
}

/** A Chinese axis title, upright and stacked beside the y axis (uPlot turns its labels sideways). */
function uprightLabel(box, u, text) {
  for (const old of box.querySelectorAll(".lrx-ylabel")) old.remove();
  if (LANGUAGE !== "zh") return;
  const span = el("span", { class: "lrx-ylabel", "aria-hidden": "true", text });
  span.style.top = `${u.bbox.top / devicePixelRatio}px`;
  span.style.height = `${u.bbox.height / devicePixelRatio}px`;
  box.append(span);
}

// uPlot pads the range by a fraction of the values, which overflows to inf near the largest double
// (ExponentialLR(gamma=2.0) reaches 9.2e307 before torch gives inf): pad only what stays finite.
function linearRange(u, min, max) {
  if (min === null || max === null || !Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (min === max) return min === 0 ? [0, 1] : [Math.min(0, min * 2), Math.max(0, max * 2)];
  const pad = (max - min) * 0.05;
  const range = [min >= 0 && min - pad < 0 ? 0 : min - pad, max + pad];
  return range.every(Number.isFinite) && Number.isFinite(range[1] - range[0]) ? range : [min, max];
}

// Tick steps for a linear y axis over any finite range (uPlot's own stop at 1e16).
const Y_INCRS = [];
for (let exponent = -320; exponent <= 307; exponent++) for (const mantissa of [1, 2, 2.5, 5]) Y_INCRS.push(mantissa * 10 ** exponent);

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
  const current = data.list[0];
  app.marks = current && current.index === 0 ? eventMarks(app.settings, app.result) : null;
  // The width is read only for a new chart (reading it forces a layout); ResizeObserver resizes.
  // A new chart when what the options depend on changes (series, scale, palette, epochs, x axis);
  // new data alone goes through setData, which is what keeps a 100,000-step curve fast.
  const shape = JSON.stringify([data.list.map((c) => [c.index, c.result.lr.length <= 64]), data.withMomentum.map((c) => c.index), Boolean(data.metric), data.shared, app.settings.yscale, app.settings.step_every, look.scheme, current && current.settings.steps_per_epoch, view.x, LANGUAGE]);
  const boxes = { lr: chartBox, momentum: momentumBox, metric: metricBox };
  const destroy = () => {
    for (const key of Object.keys(boxes)) if (app.charts[key]) app.charts[key].destroy(), (app.charts[key] = null);
  };
  showMarksNote(data);
  if (!data.list.length) {
    destroy();
    chartShape = "";
    for (const box of Object.values(boxes)) box.hidden = true;
    chartDrawn();
    return;
  }
  chartBox.hidden = false;
  if (shape !== chartShape || !app.charts.lr) {
    destroy();
    chartShape = shape;
    const width = Math.max(200, chartBox.clientWidth || root.clientWidth || 600);
    const make = (kind, series, values, label) => {
      boxes[kind].hidden = !values;
      if (!values) return;
      app.charts[kind] = new uPlot(chartOptions(kind, series, look.colours, width, data.shared), values, boxes[kind]);
      uprightLabel(boxes[kind], app.charts[kind], t(label));
      attachTouch(app.charts[kind]);
    };
    make("lr", data.list, data.lr, "lrAxis");
    make("momentum", data.withMomentum, data.withMomentum.length ? data.momentum : null, "momentumAxis");
    make("metric", data.list, data.metric, "metricAxis");
  } else {
    app.charts.lr.setData(data.lr);
    if (app.charts.momentum) app.charts.momentum.setData(data.momentum);
    if (app.charts.metric) app.charts.metric.setData(data.metric);
  }
  logNote.hidden = !data.dropped;
}

/** What the lines on the chart mean, and where a curve stops being finite. */
function showMarksNote(data) {
  const parts = [];
  if (data.list.length) parts.push(t("marksEpochs"));
  if (app.marks && app.marks.steps.length) parts.push(t(app.marks.kind));
  marksNote.textContent = parts.join(" ");
  const stops = data.list.filter((curve, c) => data.finite[c] < curve.result.lr.length);
  nonFiniteNote.replaceChildren(
    ...stops.map((curve) => {
      const step = finiteSteps(curve.result);
      const message = t("nonFinite", { step, value: pyRepr(curve.result.lr[step]) });
      return el("span", { class: "lrx-nonfinite", "data-step": step }, curve.index ? `${curve.label}${LANGUAGE === "zh" ? "：" : ": "}${message}` : message);
    }),
  );
  nonFiniteNote.hidden = !stops.length;
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

// The readout keeps the last values read when the pointer leaves the chart, so the full value of
// each number can be read on hover; a new curve resets it.
let cursorIndex = null;
function showReadout(index) {
  const list = curves();
  const u = app.charts.lr;
  if (index === null || index === undefined || !list.length || !u) {
    cursorIndex = null;
    readout.replaceChildren(t("readoutIdle"));
    for (const value of legend.querySelectorAll(".lrx-legend__value")) value.replaceChildren();
    return;
  }
  cursorIndex = index;
  const x = u.data[0][index];
  const current = list[0];
  const step = stepAt(current, x);
  const parts = [];
  if (view.x === "fraction") parts.push([t("readoutFraction"), el("strong", { text: shortValue(x) })]);
  parts.push([t("readoutStep"), el("strong", { text: String(step) })], [t("readoutEpoch"), el("strong", { text: String(Math.floor(step / current.settings.steps_per_epoch)) })]);
  if (step < current.result.lr.length) {
    parts.push([t("readoutLr"), numberNode(current.result.lr[step])]);
    if (momentumVaries(current.result) || app.pins.length === 0) parts.push([t("readoutMomentum"), numberNode(current.result.momentum[step])]);
    const metric = app.charts.metric && app.charts.metric.data[1][index];
    if (metric !== null && metric !== undefined) parts.push([t("metricAxis"), numberNode(metric)]);
  }
  readout.replaceChildren(...parts.flatMap(([name, value], i) => [i ? " · " : "", `${name} `, value]));
  legend.querySelectorAll("li").forEach((item) => {
    const curve = list.find((c) => String(c.index) === item.dataset.index);
    const slot = item.querySelector(".lrx-legend__value");
    if (!curve || !slot) return;
    const at = stepAt(curve, x);
    slot.replaceChildren(...(at >= 0 && at < curve.result.lr.length ? [` ${t("readoutLr")} = `, numberNode(curve.result.lr[at])] : []));
  });
}

/** Moves the readout by steps of the current curve (keyboard), whatever the x axis. */
function moveCursor(delta, absolute) {
  const u = app.charts.lr;
  const current = curves()[0];
  if (!u || !current) return;
  const xsNow = u.data[0];
  const from = cursorIndex === null ? -1 : stepAt(current, xsNow[cursorIndex]);
  let step = absolute !== undefined ? absolute : from + delta;
  step = Math.max(0, Math.min(finiteSteps(current.result) - 1, step));
  const target = xOf(current, step);
  let low = 0;
  let high = xsNow.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (xsNow[middle] < target) low = middle + 1;
    else high = middle;
  }
  const y = u.data[1][low];
  u.setCursor({ left: u.valToPos(xsNow[low], "x"), top: y === null || y === undefined ? u.bbox.height / devicePixelRatio / 2 : u.valToPos(y, "y") });
}

chartBox.addEventListener("keydown", (event) => {
  const perEpoch = curves()[0] ? curves()[0].settings.steps_per_epoch : app.settings.steps_per_epoch;
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
  const entry = (name, value, step) => [el("dt", { text: t(name) }), el("dd", {}, numberNode(value, true), step === undefined ? "" : ` ${t("atStep", { step })}`)];
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

/** A run torch stopped part-way: its exception in the alert box (the chart marks the step, and
 * shows the steps before it; the CSV holds them). A curve that overflows is the note's (showMarksNote). */
function showRunProblems() {
  const stopped = app.result && app.result.stopped;
  if (stopped) alertBox.append(el("p", { class: "lrx-alert__title", text: t("stopped", { last: stopped.step - 1, steps: stopped.step }) }), el("p", {}, code(`${stopped.type}: ${stopped.message}`)));
  return Boolean(stopped);
}

/** Every setting as `name -> value as the query writes it`, defaults included, so two curves can be
 * compared setting by setting (training ones too). */
function settingsMap(settings) {
  const map = new Map([["scheduler", settings.scheduler]]);
  const add = (className, kwargs, prefix) => {
    for (const param of state.paramsOf(className)) {
      if (param.kind === "schedulers" || (state.DERIVED[className] && param.name in state.DERIVED[className]) || !(param.name in kwargs)) continue;
      map.set(prefix + param.name, state.formatValue(param, kwargs[param.name]));
    }
  };
  if (state.isComposite(settings.scheduler)) {
    if (settings.kwargs.milestones) map.set("milestones", settings.kwargs.milestones.join(","));
    settings.kwargs.schedulers.forEach((sub, index) => {
      map.set(`s${index}`, sub.scheduler);
      add(sub.scheduler, sub.kwargs, `s${index}.`);
    });
  } else {
    add(settings.scheduler, settings.kwargs, "");
  }
  if (settings.scheduler === "ReduceLROnPlateau") map.set("metric", settings.metric);
  for (const key of state.TRAINING_KEYS) map.set(key, state.formatValue(state.TRAINING[key], settings[key]));
  return map;
}

/** A pin's label: its class, then every setting whose value differs from the current curve's. */
function pinLabel(settings, current) {
  const mine = settingsMap(settings);
  const theirs = settingsMap(current);
  const differs = [...mine].filter(([key, value]) => key !== "scheduler" && theirs.get(key) !== value).map(([key, value]) => `${key}=${value}`);
  const head = state.isComposite(settings.scheduler) ? `${settings.scheduler}(${settings.kwargs.schedulers.map((sub) => sub.scheduler).join(" + ")})` : settings.scheduler;
  if (!differs.length && settings.scheduler === current.scheduler) return `${head}: ${t("sameAsCurrent")}`;
  return `${head} ${differs.join(" ")}`.trim();
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
      code(entry.index ? pinLabel(entry.settings, app.settings) : state.label(entry.settings)),
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
const copyButton = el("button", { type: "button", class: "md-button lrx-copy", text: t("copyLink") });
const copyStatus = el("span");
copyButton.addEventListener("click", async () => {
  writeUrl();
  try {
    await navigator.clipboard.writeText(location.href);
    copyStatus.textContent = t("linkCopied");
  } catch {
    copyStatus.textContent = t("linkCopyFailed");
  }
});
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
/** Every curve on the chart, one after the other (long format, documented on the page): curve
 * (current, pin1..pin3), step, epoch, lr, momentum, and metric when a curve is ReduceLROnPlateau's.
 * Full precision, Python's repr; a run torch stopped or that overflowed has the rows torch gave. */
function csvAll() {
  const list = curves();
  const withMetric = list.some((curve) => curve.settings.scheduler === "ReduceLROnPlateau");
  const rows = [`curve,step,epoch,lr,momentum${withMetric ? ",metric" : ""}`];
  for (const curve of list) {
    const name = curve.index ? `pin${curve.index}` : "current";
    const { lr, momentum } = curve.result;
    const per = curve.settings.steps_per_epoch;
    const metric = withMetric ? metricValues(curve.settings, lr.length) : null;
    for (let step = 0; step < lr.length; step++) {
      const tail = metric ? `,${metric[step] === null ? "" : pyRepr(metric[step])}` : withMetric ? "," : "";
      rows.push(`${name},${step},${Math.floor(step / per)},${pyRepr(lr[step])},${pyRepr(momentum[step])}${tail}`);
    }
  }
  return `${rows.join("\n")}\n`;
}

csvButton.addEventListener("click", () => {
  if (!curves().length) return;
  const blob = new Blob([csvAll()], { type: "text/csv" });
  const link = el("a", { href: URL.createObjectURL(blob), download: `${app.settings.scheduler}.csv` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
});

// --------------------------------------------------------------------------------- the URL

function writeUrl() {
  const query = state.toQuery(app.settings, app.pins.map((pin) => pin.settings)) + (view.x === "step" ? "" : `&xaxis=${view.x}`);
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

/** What the page says of the current run besides the charts (it needs no chart drawn). */
function showTexts() {
  showNumbers();
  showProblems();
  showLegend();
  updatePinButton();
  csvButton.disabled = !curves().length;
  showReadout(null);
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
  showTexts();
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
  const xName = `lrx-xaxis-${++uid}`;
  const xAxis = el(
    "fieldset",
    { class: "lrx-yscale lrx-xaxis" },
    el("legend", { text: t("xAxis") }),
    X_MODES.map((mode) => {
      const id = `${xName}-${mode}`;
      const radio = el("input", { type: "radio", name: xName, id, value: mode });
      radio.checked = view.x === mode;
      radio.addEventListener("change", () => {
        if (!radio.checked) return;
        view.x = mode;
        showReadout(null);
        drawCharts();
        writeUrl();
      });
      return el("span", { class: "lrx-radio" }, radio, el("label", { for: id, text: t(mode === "step" ? "xStep" : mode === "epoch" ? "xEpoch" : "xFraction") }));
    }),
  );
  chartBox.setAttribute("aria-label", t("chartLabel"));
  momentumBox.setAttribute("aria-label", t("momentumChartLabel"));
  metricBox.setAttribute("aria-label", t("metricChartLabel"));
  const viewBox = el(
    "section",
    { class: "lrx-view", "aria-label": t("chartTitle") },
    urlBox,
    alertBox,
    el("div", { class: "lrx-toolbar" }, yScale, xAxis, el("span", { class: "lrx-buttons" }, pinButton, copyButton)),
    el("p", { class: "lrx-help lrx-copied", role: "status" }, copyStatus),
    pinHelp,
    legend,
    // On a phone this part stays in view (sticky) while the fields below are edited.
    el("div", { class: "lrx-figure" }, chartBox, momentumBox, metricBox, readout),
    nonFiniteNote,
    marksNote,
    logNote,
  );
  // The key numbers close the controls' column: the chart's column is then short enough to stay
  // whole in view beside the fields (1280 x 800), and the column it sticks beside long enough.
  const controls = el("section", { class: "lrx-controls", "aria-label": t("parameters") }, pasteBox(), form, el("h2", { class: "lrx-heading", text: t("numbers") }), numbers, lengthNote);
  const output = el(
    "section",
    { class: "lrx-output" },
    el("h2", { class: "lrx-heading", text: t("code") }),
    el("p", { class: "lrx-help", text: t("codeHelp") }),
    el("p", {}, csvButton),
    el("p", { class: "lrx-help", id: "lrx-csv-help", text: t("csvHelp") }),
  );
  root.replaceChildren(el("div", { class: "lrx-main" }, viewBox, controls));
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

/** The first frame without the charts: every text the page shows of the run, and the boxes the
 * first draw fills at the heights it gives them, so that drawing moves nothing (the run is
 * remembered, see run()). */
function reserveCharts(heights) {
  const { result, error } = run(app.settings);
  app.result = result;
  app.error = error;
  showTexts();
  const list = curves();
  const shown = list.length ? [[chartBox, "lr"]] : [];
  if (list.some((curve) => momentumVaries(curve.result))) shown.push([momentumBox, "momentum"]);
  if (result && metricValues(app.settings, 1)) shown.push([metricBox, "metric"]);
  for (const [box, kind] of shown) {
    box.hidden = false;
    box.style.minHeight = `${heights[kind]}px`;
  }
  return shown.map(([box]) => box);
}

async function start() {
  if (!root || typeof uPlot === "undefined") return;
  // xaxis is the page's own (how the chart is read); state.js reads the rest of the query.
  const query = new URLSearchParams(location.search);
  if (X_MODES.includes(query.get("xaxis"))) view.x = query.get("xaxis");
  const parsed = await queryOrCode(location.search.replace(/([?&])xaxis=[^&]*&?/g, "$1").replace(/&$/, ""));
  app.settings = parsed.settings;
  app.urlErrors = parsed.errors;
  app.pins = pinsTorchTakes(parsed.pins);
  // A task of its own for the page's build: this module runs in the task that then fires
  // DOMContentLoaded, where Material sets itself up and lays the page out. Built there, the form
  // would be laid out in that one long task too (Lighthouse's total blocking time); built after it,
  // Material's setup meets the small page. The box keeps its space meanwhile (explorer.css).
  await new Promise((resolve) => setTimeout(resolve, 0));
  // Read the palette's colours now, while the page is still small: getComputedStyle after the form is
  // in forces a style pass over all of it, in the same task.
  // The window's size too (chartHeight), for the same reason: reading it later forces a layout.
  palette();
  const heights = { lr: chartHeight("lr"), momentum: chartHeight("momentum"), metric: chartHeight("metric") };
  // The fields are made while the form is not yet in the page (nothing to show, nothing to lay out),
  // and the page's parts put in it in the next task, all at once: a frame between the two shows
  // nothing half-built.
  rebuildForm();
  await new Promise((resolve) => setTimeout(resolve, 0));
  layout();
  // The form first, in its own task, then the charts in the next: short tasks instead of one long
  // one (Lighthouse's total blocking time), and the page shows before the charts are drawn. Their
  // boxes are reserved first, so nothing moves when they are.
  const reserved = reserveCharts(heights);
  await new Promise((resolve) => setTimeout(resolve, 0));
  const first = update();
  first.then(() => reserved.forEach((box) => (box.style.minHeight = "")));
  // Redraw in the other palette when the reader switches it (Material sets the attribute on <body>).
  new MutationObserver(() => {
    chartShape = "";
    drawCharts();
    showLegend();
  }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
  // (the width the chart was drawn at: reading chartBox.clientWidth here would force a layout)
  let width = app.charts.lr ? app.charts.lr.width : -1;
  new ResizeObserver(() => {
    if (!app.charts.lr || chartBox.clientWidth === width) return;
    width = chartBox.clientWidth;
    for (const key of ["lr", "momentum", "metric"]) if (app.charts[key]) app.charts[key].setSize({ width: Math.max(200, width), height: chartHeight(key) });
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
    view,
    shortValue,
    csv: csvAll,
    marks: () => app.marks,
  };
  first.then(() => (root.dataset.ready = "true"));
}

start();
