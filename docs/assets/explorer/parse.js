// The reader's code as the explorer's settings: "Paste your code" and `?code=`. Pure (no DOM): node
// runs it in the tests, which run the same code with torch and compare the numbers step by step.
//
// Parsed, never evaluated. A small tokenizer and recursive-descent parser for the part of Python that
// builds a scheduler: statements `name = expression` (or a bare expression), calls with positional and
// keyword arguments, names and attributes (`torch.optim.lr_scheduler.StepLR`), lists and tuples,
// strings, numbers in any Python form (`1e-3`, `5_000`, `.5`), True/False/None, + - * / // % ** and
// parentheses, and `lambda`. Arithmetic on literals follows Python (int / int is a float, 10 ** -3 is a
// float, 2 ** 3 an int). Anything else is reported, never run.
//
// parseCode(source, {engine, state}) -> {   (engine.js and state.js, the modules themselves)
//   settings,  complete settings as state.defaultSettings gives them (training from the pasted SGD and
//              OneCycleLR's epochs/steps_per_epoch), or null when no scheduler call was found,
//   unknown:   [{param, source}]: arguments whose value is a name the explorer cannot know
//              (`len(loader)`, `args.epochs`); the settings keep the explorer's value for them,
//   problems:  [{param, value, problem}]: problem codes of strings.js (`problems`), values shortened,
// }
// The scheduler is the last statement's call of a SCHEDULERS class (or the last such call); a name
// assigned a scheduler call on an earlier line may stand in a composition's list.

// It imports nothing: the page loads it only when the reader pastes code (or opens `?code=`), and
// what it needs of the engine and the state comes in `deps` = {engine, state} (the modules), so the
// page's first download holds no copy of this file and no extra chunk.
let SCHEDULERS, LAMBDAS, pyPow, state;

// ------------------------------------------------------------------------------- tokens

const TOKEN = new RegExp(
  [
    String.raw`(?<space>[ \t\f]+|\\\r?\n|#[^\n]*)`,
    String.raw`(?<newline>\r?\n|;)`,
    String.raw`(?<number>(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?)`,
    String.raw`(?<name>[A-Za-z_][A-Za-z0-9_]*)`,
    String.raw`(?<string>'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")`,
    String.raw`(?<op>\*\*|//|==|!=|<=|>=|[-+*/%()\[\],=.:<>])`,
  ].join("|"),
  "y",
);

class ParseError extends Error {
  constructor(problem, value) {
    super(problem);
    this.problem = problem;
    this.value = value;
  }
}

function tokenize(source) {
  const tokens = [];
  let depth = 0;
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(source);
    if (!match) throw new ParseError("not_literal", source.slice(at, at + 20));
    const [kind, text] = Object.entries(match.groups).find(([, value]) => value !== undefined);
    if (kind === "space") continue;
    if (kind === "newline") {
      // Inside brackets a line break is whitespace (Python's implicit line joining).
      if (depth === 0 && tokens.length && tokens[tokens.length - 1].kind !== "newline") tokens.push({ kind, text: "\n", at });
      continue;
    }
    if (text === "(" || text === "[") depth += 1;
    if (text === ")" || text === "]") depth = Math.max(0, depth - 1);
    tokens.push({ kind, text, at });
  }
  tokens.push({ kind: "newline", text: "\n", at: source.length });
  return tokens;
}

// ------------------------------------------------------------------------------- syntax tree

function parser(source) {
  const tokens = tokenize(source);
  let i = 0;
  // Past the end, the closing newline again: every loop below stops at a newline.
  const last = tokens.length - 1;
  const peek = () => tokens[Math.min(i, last)];
  const next = () => tokens[Math.min(i++, last)];
  const is = (text) => peek().kind !== "string" && peek().kind !== "newline" && peek().text === text;
  const expect = (text) => {
    if (!is(text)) throw new ParseError("not_literal", source.slice(peek().at, peek().at + 20) || text);
    return next();
  };
  const sourceOf = (start, end) => source.slice(tokens[Math.min(start, last)].at, end <= last ? tokens[end].at : source.length).trim();

  // Python's precedence: lambda < additive < multiplicative < unary < power < call/attribute < atom.
  function expression() {
    if (is("lambda")) {
      const start = i;
      let depth = 0;
      // The parameters (commas and defaults included) up to the colon, then the body up to the end
      // of the argument it is.
      while (!is(":") && peek().kind !== "newline") next();
      while (!(peek().kind === "newline" || (depth === 0 && (is(",") || is(")") || is("]"))))) {
        if (is("(") || is("[")) depth += 1;
        if (is(")") || is("]")) depth -= 1;
        next();
      }
      return { type: "lambda", source: sourceOf(start, i) };
    }
    return additive();
  }
  function binary(sub, ops) {
    return () => {
      const start = i;
      let left = sub();
      while (ops.some(is)) {
        const op = next().text;
        left = { type: "binop", op, left, right: sub(), source: null };
        left.source = sourceOf(start, i);
      }
      return left;
    };
  }
  const multiplicative = binary(unary, ["*", "/", "//", "%"]);
  const additive = binary(multiplicative, ["+", "-"]);
  function unary() {
    if (is("-") || is("+")) {
      const start = i;
      const op = next().text;
      const operand = unary();
      return { type: "unary", op, operand, source: sourceOf(start, i) };
    }
    return power();
  }
  function power() {
    const start = i;
    const base = postfix();
    if (!is("**")) return base;
    next();
    return { type: "binop", op: "**", left: base, right: unary(), source: sourceOf(start, i) };
  }
  function postfix() {
    const start = i;
    let node = atom();
    for (;;) {
      if (is(".")) {
        next();
        const name = next();
        if (name.kind !== "name") throw new ParseError("not_literal", name.text);
        node = { type: "attribute", object: node, name: name.text, source: sourceOf(start, i) };
      } else if (is("(")) {
        next();
        const args = [];
        const kwargs = [];
        while (!is(")")) {
          if (peek().kind === "name" && i + 1 < last && tokens[i + 1].text === "=" && tokens[i + 1].kind === "op") {
            const key = next().text;
            next();
            kwargs.push([key, expression()]);
          } else {
            if (is("*") || is("**")) throw new ParseError("not_literal", sourceOf(i, i + 2));
            args.push(expression());
          }
          if (!is(",")) break;
          next();
        }
        expect(")");
        node = { type: "call", func: node, args, kwargs, source: sourceOf(start, i) };
      } else if (is("[")) {
        // Subscripts (`lrs[0]`, `config["lr"]`): a value the explorer cannot know.
        let depth = 0;
        do {
          if (is("[")) depth += 1;
          if (is("]")) depth -= 1;
          next();
        } while (depth > 0 && peek().kind !== "newline");
        node = { type: "opaque", source: sourceOf(start, i) };
      } else {
        return node;
      }
    }
  }
  function atom() {
    const start = i;
    const token = next();
    if (token.kind === "number") return { type: "number", text: token.text, source: token.text };
    if (token.kind === "string") {
      // Only plain strings ('cos', "linear"): escapes are not read.
      if (token.text.includes("\\")) throw new ParseError("not_literal", token.text);
      return { type: "string", value: token.text.slice(1, -1), source: token.text };
    }
    if (token.kind === "name") return { type: "name", name: token.text, source: token.text };
    if (token.text === "(" || token.text === "[") {
      const close = token.text === "(" ? ")" : "]";
      const items = [];
      let tuple = token.text === "[";
      while (!is(close)) {
        items.push(expression());
        if (!is(",")) break;
        next();
        tuple = true;
      }
      expect(close);
      if (!tuple && items.length === 1) return items[0]; // parentheses around an expression
      return { type: "list", items, source: sourceOf(start, i) };
    }
    throw new ParseError("not_literal", source.slice(token.at, token.at + 20));
  }

  const statements = [];
  while (i < tokens.length) {
    if (peek().kind === "newline") {
      next();
      continue;
    }
    const start = i;
    let target = null;
    if (peek().kind === "name" && i + 1 < last && tokens[i + 1].text === "=" && tokens[i + 1].kind === "op") {
      target = next().text;
      next();
    }
    // Lines that are not expressions (import, for, def, ...) are skipped: they build no scheduler.
    if (peek().kind === "name" && /^(import|from|for|while|if|def|class|with|return|print|else|elif|try|except)$/.test(peek().text)) {
      while (peek().kind !== "newline") next();
      continue;
    }
    try {
      const value = expression();
      if (peek().kind !== "newline") throw new ParseError("not_literal", sourceOf(i, i + 3));
      statements.push({ target, value, source: sourceOf(start, i) });
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      statements.push({ target, error, source: null });
      while (peek().kind !== "newline") next();
    }
  }
  return statements;
}

// ------------------------------------------------------------------------------- values

// A number's value and whether Python holds it as an int: {value, int}.
function numberLiteral(text) {
  const clean = text.replace(/_/g, "");
  const value = Number(clean);
  if (!Number.isFinite(value)) throw new ParseError("not_literal", text);
  const int = /^\d+$/.test(clean);
  if (int && !Number.isSafeInteger(value)) throw new ParseError("not_literal", text);
  return { value, int };
}

const pyFloorMod = (a, b) => a - Math.floor(a / b) * b;

function arithmetic(op, a, b) {
  const int = a.int && b.int;
  const x = a.value;
  const y = b.value;
  if ((op === "/" || op === "//" || op === "%") && y === 0) throw new ParseError("not_literal", "division by zero");
  let value;
  switch (op) {
    case "+": value = x + y; break;
    case "-": value = x - y; break;
    case "*": value = x * y; break;
    case "/": return { value: x / y, int: false };
    case "//": value = Math.floor(x / y); break;
    case "%": value = pyFloorMod(x, y); break;
    case "**":
      if (int && y >= 0) value = x ** y;
      // float ** int and int ** negative int: C's pow, as the engine computes it
      else if (Number.isInteger(y)) return { value: pyPow(x, y), int: false };
      else return { value: x ** y, int: false };
      break;
    default: throw new ParseError("not_literal", op);
  }
  if (int && !Number.isSafeInteger(value)) throw new ParseError("not_literal", `${x} ${op} ${y}`);
  return { value, int };
}

const CONSTANTS = { True: { value: true, bool: true }, False: { value: false, bool: true }, None: { value: null } };

/** The Python value of an expression node, or a thrown Unknown naming what the explorer cannot know. */
class Unknown extends Error {
  constructor(source) {
    super(source);
    this.source = source;
  }
}

// ------------------------------------------------------------------------------- the scheduler

const SCHEDULER_PREFIXES = ["", "lr_scheduler.", "torch.optim.lr_scheduler.", "optim.lr_scheduler.", "sched."];
const OPTIMIZER_CALLS = new Set(["SGD", "optim.SGD", "torch.optim.SGD"]);

function dotted(node) {
  if (node.type === "name") return node.name;
  if (node.type === "attribute") {
    const left = dotted(node.object);
    return left === null ? null : `${left}.${node.name}`;
  }
  return null;
}

function schedulerClass(node) {
  if (node.type !== "call") return null;
  const name = dotted(node.func);
  if (name === null) return null;
  for (const prefix of SCHEDULER_PREFIXES) {
    if (name.startsWith(prefix) && Object.hasOwn(SCHEDULERS, name.slice(prefix.length))) return name.slice(prefix.length);
  }
  return null;
}

const normalise = (source) => source.replace(/\s+/g, " ").replace(/\s*([()[\],:+\-*/%<>=])\s*/g, "$1").trim();

/** The named lambda whose Python source is this one's (whitespace aside), for the class. */
export function lambdaName(source) {
  const wanted = normalise(source);
  return Object.keys(LAMBDAS).find((name) => normalise(LAMBDAS[name].python) === wanted) || null;
}

export function parseCode(source, { engine, state: stateModule }) {
  ({ SCHEDULERS, LAMBDAS } = engine);
  pyPow = engine._python.pow;
  state = stateModule;
  const { DERIVED, MAX_STEPS, MAX_SUB_SCHEDULERS, TRAINING, defaultSettings, fullKwargs, isComposite, shorten, subSchedulerClasses } = state;
  const problems = [];
  const unknown = [];
  const problem = (param, value, code) => problems.push({ param, value: shorten(value), problem: code });
  let statements;
  try {
    statements = parser(String(source));
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    problem("code", error.value, error.problem);
    return { settings: null, unknown, problems };
  }
  // Lines it cannot read (a training loop's `x += 1`) matter only when no scheduler is found.
  const unreadable = [];
  const variables = new Map(); // name -> expression node, from `name = ...` lines
  const statementIndex = new Map(); // name -> the line (statement) that last assigned it
  statements.forEach((statement, index) => {
    if (statement.error) unreadable.push(statement.error);
    else if (statement.target) {
      variables.set(statement.target, statement.value);
      statementIndex.set(statement.target, index);
    }
  });

  // Values: numbers, strings, lists, arithmetic; names through earlier assignments; else Unknown.
  const valueOf = (node, seen = new Set()) => {
    switch (node.type) {
      case "number":
        return numberLiteral(node.text);
      case "string":
        return { value: node.value };
      case "name":
        if (Object.hasOwn(CONSTANTS, node.name)) return CONSTANTS[node.name];
        if (variables.has(node.name) && !seen.has(node.name)) return valueOf(variables.get(node.name), new Set([...seen, node.name]));
        throw new Unknown(node.source);
      case "unary": {
        const operand = valueOf(node.operand, seen);
        if (typeof operand.value !== "number") throw new ParseError("not_literal", node.source);
        return { value: node.op === "-" ? -operand.value : operand.value, int: operand.int };
      }
      case "binop": {
        const left = valueOf(node.left, seen);
        const right = valueOf(node.right, seen);
        const number = (v) => (v.bool ? { value: Number(v.value), int: true } : v);
        if (typeof number(left).value !== "number" || typeof number(right).value !== "number") throw new ParseError("not_literal", node.source);
        return arithmetic(node.op, number(left), number(right));
      }
      case "list":
        return { list: node.items.map((item) => valueOf(item, seen)) };
      default:
        throw new Unknown(node.source);
    }
  };
  // A name bound to a node of a kind: follow `x = ...` lines.
  const resolve = (node, seen = new Set()) => {
    while (node.type === "name" && variables.has(node.name) && !seen.has(node.name)) {
      seen.add(node.name);
      node = variables.get(node.name);
    }
    return node;
  };

  // The training: SGD's lr and momentum where the code builds one.
  const training = {};
  for (const statement of statements) {
    if (!statement.value || statement.value.type !== "call") continue;
    const name = dotted(statement.value.func);
    if (name === null || !/(^|\.)(SGD|Adam|AdamW|RMSprop|Adagrad|Adadelta|Adamax|NAdam|RAdam|ASGD|LBFGS|Rprop|SparseAdam|Adafactor|Muon)$/.test(name)) continue;
    if (!OPTIMIZER_CALLS.has(name)) {
      problem("optimizer", statement.value.source, "not_sgd");
      continue;
    }
    const given = Object.fromEntries(statement.value.kwargs);
    training.momentum = 0.0; // SGD's default, where the code does not give one
    if (statement.value.args[1]) given.lr = statement.value.args[1];
    if (statement.value.args[2]) given.momentum = statement.value.args[2];
    for (const key of ["lr", "momentum"]) {
      if (!given[key]) continue;
      try {
        const value = valueOf(given[key]);
        if (typeof value.value === "number") training[key] = value.value;
        else problem(key, given[key].source, "not_float");
      } catch (error) {
        if (error instanceof Unknown) unknown.push({ param: key, source: error.source });
        else if (error instanceof ParseError) problem(key, error.value, error.problem);
        else throw error;
      }
    }
  }

  // The scheduler: the last statement that is (or names) a scheduler call.
  let top = null;
  for (const statement of statements) {
    if (statement.value && schedulerClass(resolve(statement.value))) top = resolve(statement.value);
  }
  if (!top) {
    for (const error of unreadable) problem("code", error.value, error.problem);
    problem("code", String(source), "not_a_scheduler_call");
    return { settings: null, unknown, problems };
  }

  // Arguments by name, positional ones mapped through torch's signature.
  const argumentsOf = (call, className, prefix) => {
    const order = SCHEDULERS[className].signature; // torch's order, every parameter (the spec)
    const named = new Map();
    call.args.forEach((arg, index) => {
      if (index >= order.length) problem(`${prefix}${className}`, call.source, "positional");
      else named.set(order[index], arg);
    });
    for (const [key, arg] of call.kwargs) {
      if (named.has(key)) problem(prefix + key, arg.source, "duplicate");
      else named.set(key, arg);
    }
    named.delete("optimizer");
    return named;
  };

  const kwargsOf = (call, className, prefix, settings) => {
    const params = new Map(SCHEDULERS[className].params.map((param) => [param.name, param]));
    const kwargs = {};
    for (const [key, node] of argumentsOf(call, className, prefix)) {
      const param = params.get(key);
      if (!param) {
        // last_epoch, scale_fn, scale_mode: torch's, not set here; anything else torch would refuse
        problem(prefix + key, node.source, SCHEDULERS[className].signature.includes(key) ? "not_offered" : "unknown");
        continue;
      }
      if (param.kind === "schedulers") continue; // read by the caller
      if (param.kind === "lambda") {
        const lambda = resolve(node);
        const name = lambda.type === "lambda" ? lambdaName(lambda.source) : null;
        if (name && (!LAMBDAS[name].for || LAMBDAS[name].for.includes(className))) kwargs[key] = name;
        else problem(prefix + key, lambda.source || node.source, "lambda_unknown");
        continue;
      }
      let value;
      try {
        value = valueOf(node);
      } catch (error) {
        if (error instanceof Unknown) unknown.push({ param: prefix + key, source: error.source });
        else if (error instanceof ParseError) problem(prefix + key, error.value || node.source, error.problem);
        else throw error;
        continue;
      }
      const converted = convert(param, value);
      if (converted.problem) {
        problem(prefix + key, node.source, converted.problem);
        continue;
      }
      // OneCycleLR's epochs and steps_per_epoch are the training length (as state.js has it).
      if (DERIVED[className] && key in DERIVED[className] && prefix === "" && settings) {
        if (Number.isInteger(converted.value) && converted.value >= 1) settings.training[DERIVED[className][key]] = converted.value;
        else problem(key, node.source, "not_int");
        continue;
      }
      if (DERIVED[className] && key in DERIVED[className]) {
        problem(prefix + key, node.source, "derived");
        continue;
      }
      kwargs[key] = converted.value;
    }
    return kwargs;
  };

  const topClass = schedulerClass(top);
  const collected = { training: {} };
  let settings;
  if (isComposite(topClass)) {
    const args = argumentsOf(top, topClass, "");
    const listNode = args.has("schedulers") ? resolve(args.get("schedulers")) : null;
    const subs = [];
    if (!listNode || listNode.type !== "list") {
      problem("schedulers", listNode ? listNode.source : topClass, listNode ? "not_literal" : "unknown");
    } else {
      // torch builds the schedulers in the order the code runs, each one setting the lr as it is
      // built; the explorer builds them in list order. A list whose named schedulers were built in
      // another order (cosine on the line before warmup) is not what the explorer would run.
      const built = listNode.items.map((item) => (item.type === "name" ? statementIndex.get(item.name) ?? Infinity : Infinity));
      if (built.some((at, index) => index > 0 && at < built[index - 1])) problem("schedulers", listNode.source, "build_order");
      listNode.items.forEach((item, index) => {
        const call = resolve(item);
        const name = schedulerClass(call);
        if (!name) {
          problem(`s${index}`, item.source, "not_a_scheduler_call");
        } else if (!subSchedulerClasses().includes(name)) {
          problem(`s${index}`, call.source, "not_sub_scheduler");
        } else {
          subs.push({ scheduler: name, kwargs: withDefaults(name, kwargsOf(call, name, `s${index}.`, null)) });
        }
      });
    }
    // Everything but the list: milestones (SequentialLR), and what is not supported.
    const rest = { ...top, args: [], kwargs: [...args].filter(([key]) => key !== "schedulers") };
    const own = kwargsOf(rest, topClass, "", collected);
    settings = defaultSettings(topClass, { ...training, ...collected.training });
    if (subs.length) settings.kwargs.schedulers = subs.slice(0, MAX_SUB_SCHEDULERS);
    if (subs.length > MAX_SUB_SCHEDULERS) problem("schedulers", listNode.source, "too_many_subs");
    if ("milestones" in own) settings.kwargs.milestones = own.milestones;
  } else {
    const kwargs = kwargsOf(top, topClass, "", collected);
    settings = defaultSettings(topClass, { ...training, ...collected.training });
    settings.kwargs = withDefaults(topClass, kwargs);
  }
  const steps = settings.epochs * settings.steps_per_epoch;
  if (steps > MAX_STEPS) {
    problem("epochs", String(settings.epochs), "too_many_steps");
    Object.assign(settings, { epochs: TRAINING.epochs.default, steps_per_epoch: TRAINING.steps_per_epoch.default });
  }
  return { settings, unknown, problems };
}

/** What the code leaves out is torch's default; a required argument it leaves out keeps the preset. */
function withDefaults(className, given) {
  const kwargs = state.fullKwargs(className, {});
  const preset = state.fullKwargs(className, state.presetKwargs(className));
  for (const param of SCHEDULERS[className].params) if (param.required && param.name in preset) kwargs[param.name] = preset[param.name];
  return { ...kwargs, ...given };
}

/** A parsed Python value as the settings hold it for a parameter, or {problem}. */
function convert(param, parsed) {
  const { value } = parsed;
  if (value === null) return param.nullable ? { value: null } : { problem: param.kind === "int" ? "not_int" : "not_float" };
  switch (param.kind) {
    case "int":
      if (typeof value !== "number" || parsed.bool) return { problem: "not_int" };
      // 8.0 where torch wants an int stays a Python float: torch says what it thinks of it
      return { value: parsed.int ? value : Number.isInteger(value) ? { float: value } : value };
    case "float":
    case "float_or_list":
      // One parameter group: a list of one number is that number (torch reads it the same way).
      if (param.kind === "float_or_list" && parsed.list && parsed.list.length === 1) return convert(param, parsed.list[0]);
      if (parsed.list) return { problem: "one_group" };
      if (typeof value !== "number" || parsed.bool) return { problem: "not_float" };
      return { value };
    case "bool":
      return parsed.bool ? { value } : { problem: "not_bool" };
    case "choice":
      return typeof value === "string" ? { value } : { problem: "not_choice" };
    case "int_list":
      if (!parsed.list || !parsed.list.every((item) => item.int)) return { problem: "not_int_list" };
      return { value: parsed.list.map((item) => item.value) };
    default:
      return { problem: "not_literal" };
  }
}
