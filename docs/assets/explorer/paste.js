// "Paste your code" and `?code=`: the page's part that reads the reader's code (parse.js) and puts its
// settings in the form. Loaded by explorer.js only when it is used, so it imports nothing that the
// first download already holds: engine.js and state.js (and the page's own helpers) come in `ctx`.

import { parseCode } from "./parse.js";
import { CODE_STRINGS } from "./strings-code.js";

/** Words of a problem code: the paste box's own, else the page's (ctx.problems). */
function problemText(ctx, problem) {
  return CODE_STRINGS[ctx.language].problems[problem] || ctx.problems[problem] || problem;
}

function word(ctx, key, values = {}) {
  const template = CODE_STRINGS[ctx.language].ui[key];
  return template.replace(/\{(\w+)\}/g, (match, name) => (name in values ? String(values[name]) : match));
}

function read(code, ctx) {
  return parseCode(code, { engine: ctx.engine, state: ctx.state });
}

/** What parse.js could not read or cannot know, as the problems box lists them (words included). */
function problemsOf(parsed, ctx) {
  const all = [...parsed.problems, ...parsed.unknown.map((u) => ({ param: u.param, value: ctx.state.shorten(u.source), problem: "unknown_name" }))];
  return all.map((p) => ({ ...p, text: problemText(ctx, p.problem) }));
}

/** `?code=`: the settings of the code (the page then writes the address in the usual form). */
export function codeSettings(code, ctx) {
  const parsed = read(code, ctx);
  return { settings: parsed.settings || ctx.state.defaultSettings(), pins: [], errors: problemsOf(parsed, ctx) };
}

/** Fills the <details> of the paste box: the text area, the button and what reading the code found. */
export function fillPasteBox(box, ctx) {
  const { el, code } = ctx;
  const id = `${box.id || "lrx-paste"}-code`;
  // Styled here, not in explorer.css: the first visit does not download what the paste box needs.
  const style = "box-sizing:border-box;width:100%;font-family:var(--md-code-font-family);font-size:.8rem";
  const area = el("textarea", { id, class: "lrx-paste__code", rows: 4, spellcheck: "false", autocomplete: "off", style });
  const label = el("label", { for: id, class: "lrx-help", text: word(ctx, "pasteHelp") });
  label.id = `${id}-help`;
  const status = el("div", { class: "lrx-paste__status", role: "status" });
  const button = el("button", { type: "button", class: "md-button lrx-paste__load", text: word(ctx, "pasteButton") });
  button.addEventListener("click", () => {
    const parsed = read(area.value, ctx);
    status.replaceChildren();
    if (parsed.settings) {
      ctx.app.settings = parsed.settings;
      status.append(el("p", { text: word(ctx, "pasteLoaded", { names: ctx.state.label(parsed.settings) }) }));
      ctx.rebuildForm();
      ctx.changed();
    }
    if (parsed.unknown.length) {
      const names = parsed.unknown.flatMap((u, i) => [i ? ", " : "", code(`${u.param}=${ctx.state.shorten(u.source)}`)]);
      status.append(el("p", {}, word(ctx, "pasteUnknownNames"), " ", ...names));
      // The form asks for each: its field shows what the code says (a sub-scheduler's: the first of that name).
      for (const u of parsed.unknown) ctx.showFieldProblem(u.param.replace(/^s\d+\./, ""), word(ctx, "pasteAsk", { source: ctx.state.shorten(u.source) }));
    }
    const listed = problemsOf(parsed, ctx).filter((p) => p.problem !== "unknown_name");
    if (listed.length) status.append(el("ul", {}, listed.map((p) => el("li", {}, code(`${p.param}=${p.value}`), ` ${p.text}`))));
  });
  box.append(label, area, el("p", {}, button), status);
  area.focus();
}
