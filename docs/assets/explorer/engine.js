// The explorer's engine: torch.optim.lr_scheduler (torch 2.13.0) ported to JavaScript, step by step.
//
// What it is. A pure ES module (no DOM, no dependencies): settings in, the learning-rate and momentum
// series out, as torch computes them, and torch's own exception for settings torch rejects. Each torch
// class is one JS class of the same name with the same methods, branches and float operations in the
// same order as torch/optim/lr_scheduler.py of torch 2.13.0 (the chainable get_lr(), the constructor's
// initial step, last_epoch and _step_count, SequentialLR's milestone hand-over with the closed form,
// ChainedScheduler, ReduceLROnPlateau's counters), so a reader can hold the two side by side. Only the
// fresh-start path is ported (last_epoch=-1); the explorer never resumes a scheduler.
//
// How it is proven. tests/test_explorer_engine.py runs thousands of seeded random settings of every class
// and mode through torch and through this file (node, tests/explorer_runner.mjs) and requires, at every
// step, the same lr and momentum to a relative error of 1e-12, the same warnings, and for invalid
// settings the same exception type and message. It also checks SCHEDULERS' defaults against
// inspect.signature, and every LAMBDAS/METRICS Python source against its `fn`. It needs the spec
// (spec.js): in node, the environment variable LR_EXPLORER_SPEC.
//
// Floats. JS numbers are IEEE doubles like Python floats, and + - * / agree bit for bit when done in
// the same order. Transcendentals do not. CPython's math.cos and float ** call the C library (glibc
// on Linux), whose cos and pow are not correctly rounded (off by up to about 0.56 ulp); V8's Math.cos
// differs from glibc's in about 3% of arguments. That matters: CosineAnnealingLR's chainable form
// divides by 1 + cos(...), which turns one ulp into 1e-11 relative near the bottom of a long cycle.
// So math.cos and float ** int are computed here in double-double precision and rounded once (pyCos,
// pyPow): correctly rounded, they agree with glibc in all but about 0.13% (cos) and 0.05% (pow) of
// the arguments the schedulers use, by one ulp where they differ (proven in the tests against
// mpmath). The remaining risk: with eta_min = 0 and a cosine period of several hundred steps, such an
// ulp in the last few steps before the bottom shows as a relative difference above 1e-12 in an lr
// that is about 1e-6 of the base lr (no platform's libm agrees with another there either). Float **
// with a non-integer exponent other than 0.5 (PolynomialLR's power) uses Math.pow, an ulp now and then
// that the chainable product only accumulates linearly.
//
// API (the explorer's UI depends on exactly this):
//   TORCH_VERSION  "2.13.0"
//   TorchError     extends Error; .type is the Python exception class name ("ValueError", "TypeError",
//                  "ZeroDivisionError", "OverflowError", ...), .message is exactly str(exception).
//                  Thrown by simulate() for settings torch rejects when the scheduler is built (nothing
//                  is recorded then). What torch raises later, while stepping, is part of the result.
//   SCHEDULERS     { ClassName: { signature: [every parameter, in order], params: [{name, kind, required,
//                  default?, choices?, nullable?}], momentum: bool (cycles momentum), composite: bool } }:
//                  the spec's (spec.js; scripts/explorer_spec.py reads them from torch's signatures and
//                  annotations, and WarmupCosineLR's from gallery/plot_custom_warmup_cosine.py). params
//                  leave out optimizer, last_epoch and CyclicLR's scale_fn/scale_mode. kind is one of
//                  "int" | "float" | "bool" | "choice" | "int_list" | "float_or_list" | "lambda" |
//                  "schedulers" (ReduceLROnPlateau's metric is no kwarg: it is settings.metric, a
//                  METRICS name). default is torch's (null for None; absent when required); nullable:
//                  true where None is the default.
//                  Python types: an "int" value that is an integer is a Python int, anything else
//                  (and every "float"/"float_or_list" value) a Python float; {float: 8} is the Python
//                  float 8.0 (for an "int" parameter, where torch checks isinstance(value, int)). Code
//                  emitted for the reader must write floats as floats (repr, e.g. 1.0) for the numbers
//                  and messages to agree.
//   LAMBDAS        { name: { python: "lambda step: ...", for: [ClassName, ...], fn: step => factor,
//                  exact: bool } }: python and for from the spec, fn and exact here. The Python sources
//                  assume `import math`. exact: fn gives CPython's float bit for bit; otherwise
//                  (math.cos, float ** float) fn is correctly rounded and CPython on glibc is off by
//                  one ulp for a small fraction of steps (tested).
//   METRICS        { name: { python: "def metric(t): ...", fn: t => value } }: python from the spec, fn
//                  here; t counts the scheduler.step(metric) calls made before this one (0, 1, 2, ...).
//   simulate(settings) -> { lr: number[], momentum: number[], warnings: string[],
//                           stopped?: { step, type, message }, nonFinite?: { step, value, series } }
//     lr, momentum  one entry per batch of the loop below, as far as torch got.
//     warnings      what torch warns while building and stepping: always empty in this loop (the
//                   step-order warnings cannot fire; the tests compare with torch's warnings).
//     stopped       present when torch raised part-way (OneCycleLR stepped past total_steps, an overflow
//                   torch turns into an OverflowError, ReduceLROnPlateau without a metric): `step` is the
//                   first step without a value (lr.length: torch raised in the scheduler.step() after
//                   step `step - 1`), `type` and `message` are the exception's as torch gives them.
//     nonFinite     present when the lr (else the momentum) reaches inf, -inf or nan: `step` is the first
//                   such step, `value` its value (Infinity, -Infinity, NaN), `series` "lr" or "momentum".
//                   The values stay in the series as torch gives them (torch carries on with them).
//     settings = { scheduler, kwargs, lr, momentum, epochs, steps_per_epoch, step_every: "batch"|"epoch",
//                  metric? }. kwargs.lr_lambda is a LAMBDAS name; kwargs.schedulers of SequentialLR and
//                  ChainedScheduler is a list of { scheduler, kwargs }, built in list order on the same
//                  optimizer, as the Python below does (ChainedScheduler gets optimizer=optimizer).
//     The series are those of this loop, one entry per batch:
//       model = torch.nn.Linear(2, 1)
//       optimizer = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
//       scheduler = torch.optim.lr_scheduler.X(optimizer, **kwargs)
//       lrs, momentums = [], []
//       t = 0
//       for epoch in range(EPOCHS):
//           for batch in range(STEPS_PER_EPOCH):
//               optimizer.step()
//               lrs.append(optimizer.param_groups[0]["lr"])
//               momentums.append(optimizer.param_groups[0]["momentum"])
//               if STEP_EVERY == "batch": scheduler.step()  # ReduceLROnPlateau: scheduler.step(metric(t)); t += 1
//           if STEP_EVERY == "epoch": scheduler.step()      # (the same)
//     Loop settings that are not a valid loop (e.g. steps_per_epoch < 1) throw a RangeError.
//   pyFloatRepr    repr(float) as CPython writes it (the one port: state.js and python.js use it).
//   _python        { cos, pow, repr }: the math.cos, float ** and repr(float) ports, for the tests.

import { SPEC } from "./spec.js";

export const TORCH_VERSION = "2.13.0";

export class TorchError extends Error {
  constructor(type, message) {
    super(message);
    this.name = "TorchError";
    this.type = type;
  }
}

const ValueError = (message) => new TorchError("ValueError", message);
const ZeroDivisionError = (message) => new TorchError("ZeroDivisionError", message);

// ---------------------------------------------------------------------------------------------------
// Python numbers. A value is a JS number; where Python's result or message depends on int vs float,
// the caller says whether the operands are Python ints.

function floatRepr(x) {
  // repr(float): shortest round-trip digits (as JS), Python's layout (scientific below 1e-4 and from 1e16).
  if (typeof x !== "number") throw new TypeError(`repr(float): not a number: ${x}`);
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mantissa, exponentText] = x.toExponential().split("e");
  const exponent = Number(exponentText);
  const sign = x < 0 ? "-" : "";
  const digits = mantissa.replace("-", "").replace(".", "");
  if (exponent < -4 || exponent >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  if (digits.length > exponent + 1) return `${sign}${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
  return `${sign}${digits}${"0".repeat(exponent + 1 - digits.length)}.0`;
}

function pyRepr(value, isInt) {
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "string") return `'${value}'`;
  if (Array.isArray(value)) return `[${value.map((v) => pyRepr(v, isInt)).join(", ")}]`;
  return isInt && Number.isInteger(value) ? String(value) : floatRepr(value);
}

function truediv(a, b, bothInt) {
  // a / b
  if (b === 0) throw ZeroDivisionError(bothInt ? "division by zero" : "float division by zero");
  return a / b;
}

function mod(a, b, bothInt) {
  // a % b (the result takes the sign of b)
  if (b === 0) throw ZeroDivisionError(bothInt ? "integer modulo by zero" : "float modulo");
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

function floordiv(a, b, bothInt) {
  // a // b
  if (b === 0) throw ZeroDivisionError(bothInt ? "integer division or modulo by zero" : "float floor division by zero");
  return Math.floor(a / b);
}

function pyMin(a, b) {
  // min(a, b): the first unless the second is smaller
  return b < a ? b : a;
}

function pyMax(a, b) {
  // max(a, b): the first unless the second is larger
  return b > a ? b : a;
}

// bisect.bisect_right, the same binary search (so an unsorted list gives Python's answer too).
function bisect_right(a, x) {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x < a[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

// ---------------------------------------------------------------------------------------------------
// Double-double arithmetic: a value hi + lo with |lo| <= ulp(hi)/2, about 106 bits. Results go to the
// scratch registers HI and LO (no allocation on the hot path).

let HI = 0;
let LO = 0;
const SPLITTER = 134217729; // 2^27 + 1, Veltkamp split

function twoSum(a, b) {
  const s = a + b;
  const bb = s - a;
  LO = a - (s - bb) + (b - bb);
  HI = s;
}

function quickTwoSum(a, b) {
  const s = a + b;
  LO = b - (s - a);
  HI = s;
}

function twoProd(a, b) {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  LO = ah * bh - p + ah * bl + al * bh + al * bl;
  HI = p;
}

function ddMul(ah, al, bh, bl) {
  twoProd(ah, bh);
  const p = HI;
  const e = LO + (ah * bl + al * bh);
  quickTwoSum(p, e);
}

function ddAdd(ah, al, bh, bl) {
  twoSum(ah, bh);
  const s = HI;
  const e = LO + al + bl;
  quickTwoSum(s, e);
}

function ddRecip(h, l) {
  // 1 / (h + l)
  const q1 = 1 / h;
  twoProd(q1, h);
  const r = 1 - HI - LO - q1 * l;
  quickTwoSum(q1, r / h);
}

// 1/n! as double-doubles, n = 0..27
const INV_FACT_HI = [1];
const INV_FACT_LO = [0];
for (let n = 1; n <= 27; n++) {
  const h = INV_FACT_HI[n - 1];
  const l = INV_FACT_LO[n - 1];
  const q1 = h / n;
  twoProd(q1, n);
  const r = h - HI - LO + l;
  quickTwoSum(q1, r / n);
  INV_FACT_HI.push(HI);
  INV_FACT_LO.push(LO);
}

const INV6 = INV_FACT_HI[3];
const INV24 = INV_FACT_HI[4];
const INV120 = INV_FACT_HI[5];
const INV720 = INV_FACT_HI[6];
const INV5040 = INV_FACT_HI[7];
const INV40320 = INV_FACT_HI[8];
const INV362880 = INV_FACT_HI[9];

// pi/2 in four pieces (fdlibm's): the first three have 33 bits, so k * piece is exact for k < 2^20.
const PIO2_1 = 1.57079632673412561417e00;
const PIO2_2 = 6.07710050630396597660e-11;
const PIO2_3 = 2.02226624871116645580e-21;
const PIO2_3T = 8.47842766036889956997e-32;
const INVPIO2 = 6.36619772367581382433e-1;

// Series of cos r (odd = 0) or sin r / r (odd = 1) in z = r^2, |r| <= pi/4 + a little: the terms from
// z^7 on in doubles, the first seven in double-double.
function ddTrigSeries(zh, zl, odd) {
  let t = 0;
  for (let j = 13; j >= 7; j--) t = (j & 1 ? -INV_FACT_HI[2 * j + odd] : INV_FACT_HI[2 * j + odd]) + zh * t;
  let ah = t;
  let al = 0;
  for (let j = 6; j >= 0; j--) {
    ddMul(zh, zl, ah, al);
    const sign = j & 1 ? -1 : 1;
    ddAdd(sign * INV_FACT_HI[2 * j + odd], sign * INV_FACT_LO[2 * j + odd], HI, LO);
    ah = HI;
    al = LO;
  }
}

// sin and cos of j/32, j = 0..26, as double-doubles, from the series (|r| <= 0.82 needs no reduction).
const TABLE_STEP = 32;
const TABLE_COS_HI = [];
const TABLE_COS_LO = [];
const TABLE_SIN_HI = [];
const TABLE_SIN_LO = [];
for (let j = 0; j <= 26; j++) {
  const r0 = j / TABLE_STEP;
  twoProd(r0, r0);
  const zh = HI;
  const zl = LO;
  ddTrigSeries(zh, zl, 0);
  TABLE_COS_HI.push(HI);
  TABLE_COS_LO.push(LO);
  ddTrigSeries(zh, zl, 1);
  ddMul(HI, LO, r0, 0);
  TABLE_SIN_HI.push(HI);
  TABLE_SIN_LO.push(LO);
}

// cos (odd = 0) or sin (odd = 1) of rh + rl, |rh| <= pi/4 + a little, rounded once. With r = r0 + d,
// r0 = j/32 from the table and |d| <= 1/64: cos r = C + C (cos d - 1) - S d - S (sin d - d) and
// sin r = S + S (cos d - 1) + C d + C (sin d - d); the terms that need it in double-double, the rest
// (below 1e-6 relative) in doubles. The error stays near 1e-22, so the result is the correctly
// rounded one except when the true value is within about 1e-6 ulp of a tie.
//
// The hot path of every cosine schedule, so the double-double steps are written out inline (twoSum,
// twoProd as above) on local variables.
function trigReduced(rh, rl, odd) {
  const sign = rh < 0 ? -1 : 1;
  const ah = sign * rh;
  const al = sign * rl;
  const j = Math.round(ah * TABLE_STEP);
  // d = (ah - j/32) + al; the subtraction is exact
  const a0 = ah - j / TABLE_STEP;
  const dh = a0 + al;
  let bb = dh - a0;
  const dl = a0 - (dh - bb) + (al - bb);
  // cos d - 1 = -d^2/2 + d^4 (1/24 - d^2/720 + d^4/40320), with d^2 as a double-double
  let t = SPLITTER * dh;
  const dhh = t - (t - dh);
  const dhl = dh - dhh;
  const d2h = dh * dh;
  const d2l = dhh * dhh - d2h + 2 * dhh * dhl + dhl * dhl + 2 * dh * dl;
  const cm1h = -0.5 * d2h;
  const cm1l = -0.5 * d2l + d2h * d2h * (INV24 - d2h * (INV720 - d2h * INV40320));
  // sin d - d = d^3 (-1/6 + d^2/120 - d^4/5040 + d^6/362880)
  const sdm = dh * d2h * (-INV6 + d2h * (INV120 - d2h * (INV5040 - d2h * INV362880)));
  // the leading value X and its partner Y: cos r = X + X (cos d - 1) - Y d - Y (sin d - d) with
  // X = cos r0, Y = sin r0; sin r = X + X (cos d - 1) + Y d + Y (sin d - d) with X = sin r0, Y = cos r0
  const Xh = odd ? TABLE_SIN_HI[j] : TABLE_COS_HI[j];
  const Xl = odd ? TABLE_SIN_LO[j] : TABLE_COS_LO[j];
  const Yh = odd ? TABLE_COS_HI[j] : TABLE_SIN_HI[j];
  const Yl = odd ? TABLE_COS_LO[j] : TABLE_SIN_LO[j];
  const ysign = odd ? 1 : -1;
  // p1 = X (cos d - 1)
  t = SPLITTER * Xh;
  const xhh = t - (t - Xh);
  const xhl = Xh - xhh;
  t = SPLITTER * cm1h;
  const chh = t - (t - cm1h);
  const chl = cm1h - chh;
  const p1h = Xh * cm1h;
  const p1l = xhh * chh - p1h + xhh * chl + xhl * chh + xhl * chl + Xl * cm1h + Xh * cm1l;
  // p2 = +-Y d
  t = SPLITTER * Yh;
  const yhh = t - (t - Yh);
  const yhl = Yh - yhh;
  const q = Yh * dh;
  const p2h = ysign * q;
  const p2l = ysign * (yhh * dhh - q + yhh * dhl + yhl * dhh + yhl * dhl + Yl * dh + Yh * dl);
  const small = ysign * Yh * sdm;
  // X + p2 + p1 + the small parts, rounded once
  const th = Xh + p2h;
  bb = th - Xh;
  const tl = Xh - (th - bb) + (p2h - bb);
  const uh = th + p1h;
  bb = uh - th;
  const ul = th - (uh - bb) + (p1h - bb);
  const value = uh + (tl + ul + Xl + p1l + p2l + small);
  return odd ? sign * value : value;
}

// The last two arguments and values: the chainable cosine asks for cos(a_t) and cos(a_(t-1)).
let cosMemoArg0 = NaN;
let cosMemoValue0 = NaN;
let cosMemoArg1 = NaN;
let cosMemoValue1 = NaN;

// math.cos(x), correctly rounded but for vanishingly rare near-ties. (glibc's cos, which math.cos
// calls on Linux, is not: it is off by up to 0.56 ulp in about 0.1% of arguments, see the header.)
function pyCos(x) {
  if (x === cosMemoArg0) return cosMemoValue0;
  if (x === cosMemoArg1) return cosMemoValue1;
  let value;
  const ax = Math.abs(x);
  if (!Number.isFinite(x)) {
    if (Number.isNaN(x)) return NaN;
    throw ValueError("math domain error");
  } else if (ax < 7.450580596923828e-9) {
    value = 1; // 1 - x^2/2 rounds to 1 below 2^-27
  } else if (ax > 1.6e6) {
    value = Math.cos(x); // outside the tested reduction range (never reached by the explorer)
  } else {
    const k = Math.round(ax * INVPIO2);
    // r = ax - k * pi/2 as a double-double; the first subtraction is exact (Sterbenz), the others
    // are twoSums written out
    const a = ax - k * PIO2_1;
    const b = -k * PIO2_2;
    const s1 = a + b;
    let bb = s1 - a;
    const e1 = a - (s1 - bb) + (b - bb);
    const c = -k * PIO2_3;
    const s2 = s1 + c;
    bb = s2 - s1;
    const e2 = s1 - (s2 - bb) + (c - bb);
    const lo = e1 + e2 - k * PIO2_3T;
    const rh = s2 + lo;
    const rl = lo - (rh - s2);
    const quadrant = k % 4;
    if (quadrant === 0) value = trigReduced(rh, rl, 0);
    else if (quadrant === 1) value = -trigReduced(rh, rl, 1);
    else if (quadrant === 2) value = -trigReduced(rh, rl, 0);
    else value = trigReduced(rh, rl, 1);
  }
  cosMemoArg1 = cosMemoArg0;
  cosMemoValue1 = cosMemoValue0;
  cosMemoArg0 = x;
  cosMemoValue0 = value;
  return value;
}

const OVERFLOW = "(34, 'Numerical result out of range')";
let powMemoBase = NaN;
let powMemoExp = NaN;
let powMemoHi = NaN;
let powMemoLo = NaN;

// x ** y for a Python float x (or int x with float y): C's pow() with Python's checks around it.
function pyPow(x, y) {
  if (y === 0) return 1;
  if (x === 0 && y < 0) throw ZeroDivisionError("0.0 cannot be raised to a negative power");
  let value;
  if (Number.isInteger(y) && Math.abs(y) < 2147483648 && Number.isFinite(x)) {
    const n = Math.abs(y);
    let rh;
    let rl;
    if (x === powMemoBase && n === powMemoExp) {
      rh = powMemoHi;
      rl = powMemoLo;
    } else if (x === powMemoBase && n === powMemoExp + 1) {
      // the next power of a sequence (gamma ** last_epoch): one multiplication
      ddMul(powMemoHi, powMemoLo, x, 0);
      rh = HI;
      rl = LO;
    } else {
      rh = 1;
      rl = 0;
      let bh = x;
      let bl = 0;
      let m = n;
      for (;;) {
        if (m & 1) {
          ddMul(rh, rl, bh, bl);
          rh = HI;
          rl = LO;
        }
        m = Math.floor(m / 2);
        if (m === 0) break;
        ddMul(bh, bl, bh, bl);
        bh = HI;
        bl = LO;
      }
    }
    if (Number.isFinite(rh) && Number.isFinite(rl) && Math.abs(rh) < 1e300 && Math.abs(rh) > 1e-290) {
      powMemoBase = x;
      powMemoExp = n;
      powMemoHi = rh;
      powMemoLo = rl;
      if (y < 0) {
        ddRecip(rh, rl);
        value = HI;
      } else {
        value = rh + rl;
      }
    } else {
      powMemoBase = NaN;
      value = Math.pow(x, y); // near overflow or underflow: C's pow, up to an ulp
    }
  } else if (y === 0.5 && x >= 0) {
    value = Math.sqrt(x); // correctly rounded, as glibc's pow(x, 0.5)
  } else if (x < 0 && !Number.isInteger(y) && Number.isFinite(y)) {
    value = NaN; // Python returns a complex number here; the explorer does not follow it
  } else {
    value = Math.pow(x, y);
  }
  if (!Number.isFinite(value) && Number.isFinite(x) && Number.isFinite(y) && !Number.isNaN(value)) {
    throw new TorchError("OverflowError", OVERFLOW);
  }
  return value;
}

export const _python = { cos: pyCos, pow: pyPow, repr: floatRepr };
/** repr(float), the one port of it: state.js and python.js write numbers with it. */
export const pyFloatRepr = floatRepr;

const PI = Math.PI;

// ---------------------------------------------------------------------------------------------------
// torch.optim.SGD, as much of it as a scheduler sees: param_groups, defaults, the constructor's checks.

class SGD {
  constructor(lr, momentum) {
    if (lr < 0.0) throw ValueError(`Invalid learning rate: ${floatRepr(lr)}`);
    if (momentum < 0.0) throw ValueError(`Invalid momentum value: ${floatRepr(momentum)}`);
    this.defaults = { lr, momentum, dampening: 0, weight_decay: 0, nesterov: false };
    // One model, one parameter group. The keys torch's schedulers add are declared up front.
    this.param_groups = [
      { lr, momentum, initial_lr: undefined, max_lr: undefined, min_lr: undefined, max_momentum: undefined, base_momentum: undefined },
    ];
  }

  step() {}
}

function _format_param(name, optimizer, param) {
  if (Array.isArray(param)) {
    if (param.length !== optimizer.param_groups.length) {
      throw ValueError(
        `${name} must have the same length as optimizer.param_groups. ` +
          `${name} has ${param.length} values, param_groups has ${optimizer.param_groups.length}.`,
      );
    }
    return param.slice();
  }
  return optimizer.param_groups.map(() => param);
}

function _param_groups_val_list(optimizer, key) {
  const groups = optimizer.param_groups;
  const values = [];
  for (let i = 0; i < groups.length; i++) values.push(groups[i][key]);
  return values;
}

// ---------------------------------------------------------------------------------------------------
// LRScheduler. JS runs a subclass's field assignments only after super(), while torch's subclasses set
// their fields first and then call super().__init__(), whose initial step needs them. So the base
// constructor is empty and __init__ is called where torch calls super().__init__().

class LRScheduler {
  /** torch's `self.<argument> = <argument>` for each argument, then `super().__init__(optimizer)`:
   * the constructor of the classes that keep their arguments as given. `ints` names the arguments
   * given as Python ints, on which int-or-float results and messages depend (truediv, mod). */
  _keep_and_init(optimizer, kwargs, ints) {
    Object.assign(this, kwargs);
    this._ints = ints;
    this.__init__(optimizer);
  }

  __init__(optimizer, last_epoch = -1) {
    this.optimizer = optimizer;
    // last_epoch == -1: the explorer always starts fresh
    for (const group of optimizer.param_groups) {
      if (group.initial_lr === undefined) group.initial_lr = group.lr; // group.setdefault("initial_lr", ...)
    }
    this.base_lrs = _param_groups_val_list(optimizer, "initial_lr");
    this.last_epoch = last_epoch;
    this._is_initial = false;
    this._initial_step();
  }

  _initial_step() {
    this._step_count = 0;
    this._is_initial = true; // with _initial_mode(self)
    try {
      this.step();
    } finally {
      this._is_initial = false;
    }
  }

  get_last_lr() {
    return this._last_lr;
  }

  get_lr() {
    throw new TorchError("NotImplementedError", "");
  }

  step(epoch) {
    // The two step-order warnings of _step_count == 1 cannot fire: the loop calls optimizer.step() first.
    this._step_count += 1;
    this._update_lr(epoch);
  }

  _update_lr(epoch) {
    let values;
    if (epoch === undefined) {
      this.last_epoch += 1;
      values = this.get_lr();
    } else {
      this.last_epoch = epoch;
      if (this._get_closed_form_lr !== undefined) values = this._get_closed_form_lr();
      else values = this.get_lr();
    }
    const groups = this.optimizer.param_groups;
    for (let i = 0; i < groups.length; i++) groups[i].lr = values[i];
    // _param_groups_val_list(self.optimizer, "lr"): values is already a fresh list of exactly those
    // numbers, so it serves (one allocation less per step)
    this._last_lr = values;
  }
}

// LambdaLR's and MultiplicativeLR's __init__, which torch writes twice to the letter: the function
// for every parameter group (a list of functions is not offered), then LRScheduler's __init__.
class LambdaScheduler extends LRScheduler {
  constructor(optimizer, { lr_lambda }) {
    super();
    this.optimizer = optimizer;
    this.lr_lambdas = optimizer.param_groups.map(() => lr_lambda);
    this.__init__(optimizer);
  }
}

class LambdaLR extends LambdaScheduler {
  get_lr() {
    return this.base_lrs.map((base_lr, i) => base_lr * this.lr_lambdas[i](this.last_epoch));
  }
}

class MultiplicativeLR extends LambdaScheduler {
  get_lr() {
    if (!this._is_initial) {
      return this.optimizer.param_groups.map((group, i) => group.lr * this.lr_lambdas[i](this.last_epoch));
    }
    return _param_groups_val_list(this.optimizer, "lr");
  }
}

class StepLR extends LRScheduler {
  constructor(optimizer, kwargs, ints) {
    super();
    this._keep_and_init(optimizer, kwargs, ints); // step_size, gamma
  }

  get_lr() {
    if (this.last_epoch === 0 || mod(this.last_epoch, this.step_size, this._ints.has("step_size")) !== 0) {
      return _param_groups_val_list(this.optimizer, "lr");
    }
    return this.optimizer.param_groups.map((group) => group.lr * this.gamma);
  }

  _get_closed_form_lr() {
    return this.base_lrs.map(
      (base_lr) => base_lr * pyPow(this.gamma, floordiv(this.last_epoch, this.step_size, this._ints.has("step_size"))),
    );
  }
}

class MultiStepLR extends LRScheduler {
  constructor(optimizer, { milestones, gamma }) {
    super();
    this.milestones = new Map(); // Counter(milestones)
    for (const m of milestones) this.milestones.set(m, (this.milestones.get(m) || 0) + 1);
    this.gamma = gamma;
    this.__init__(optimizer);
  }

  get_lr() {
    if (!this.milestones.has(this.last_epoch)) return _param_groups_val_list(this.optimizer, "lr");
    return this.optimizer.param_groups.map((group) => group.lr * pyPow(this.gamma, this.milestones.get(this.last_epoch)));
  }

  _get_closed_form_lr() {
    const milestones = [];
    for (const [m, count] of this.milestones) for (let c = 0; c < count; c++) milestones.push(m);
    milestones.sort((a, b) => a - b);
    return this.base_lrs.map((base_lr) => base_lr * pyPow(this.gamma, bisect_right(milestones, this.last_epoch)));
  }
}

class ConstantLR extends LRScheduler {
  constructor(optimizer, { factor, total_iters }) {
    super();
    if (factor > 1.0 || factor < 0) {
      throw ValueError("Constant multiplicative factor expected to be between 0 and 1.");
    }
    this.factor = factor;
    this.total_iters = total_iters;
    this.__init__(optimizer);
  }

  get_lr() {
    if (this.last_epoch === 0) return this.optimizer.param_groups.map((group) => group.lr * this.factor);
    if (this.last_epoch !== this.total_iters) return _param_groups_val_list(this.optimizer, "lr");
    return this.optimizer.param_groups.map((group) => group.lr * truediv(1.0, this.factor, false));
  }

  _get_closed_form_lr() {
    return this.base_lrs.map(
      (base_lr) => base_lr * (this.factor + (this.last_epoch >= this.total_iters ? 1 : 0) * (1 - this.factor)),
    );
  }
}

class LinearLR extends LRScheduler {
  constructor(optimizer, { start_factor, end_factor, total_iters }) {
    super();
    if (start_factor > 1.0 || start_factor <= 0) {
      throw ValueError("Starting multiplicative factor expected to be greater than 0 and less or equal to 1.");
    }
    if (end_factor > 1.0 || end_factor < 0) {
      throw ValueError("Ending multiplicative factor expected to be between 0 and 1.");
    }
    this.start_factor = start_factor;
    this.end_factor = end_factor;
    this.total_iters = total_iters;
    this.__init__(optimizer);
  }

  get_lr() {
    if (this.last_epoch === 0) return this.optimizer.param_groups.map((group) => group.lr * this.start_factor);
    if (this._is_initial || this.last_epoch > this.total_iters) return _param_groups_val_list(this.optimizer, "lr");
    return this.optimizer.param_groups.map(
      (group) =>
        group.lr *
        (1.0 +
          truediv(
            this.end_factor - this.start_factor,
            this.total_iters * this.start_factor + (this.last_epoch - 1) * (this.end_factor - this.start_factor),
            false,
          )),
    );
  }

  _get_closed_form_lr() {
    return this.base_lrs.map(
      (base_lr) =>
        base_lr *
        (this.start_factor +
          truediv((this.end_factor - this.start_factor) * pyMin(this.total_iters, this.last_epoch), this.total_iters, false)),
    );
  }
}

class ExponentialLR extends LRScheduler {
  constructor(optimizer, kwargs, ints) {
    super();
    this._keep_and_init(optimizer, kwargs, ints); // gamma
  }

  get_lr() {
    // when loading from a checkpoint, we don't want _initial_step (called from the constructor)
    // to update the lr one more step ahead of itself.
    if (this._is_initial) return _param_groups_val_list(this.optimizer, "lr");
    return this.optimizer.param_groups.map((group) => group.lr * this.gamma);
  }

  _get_closed_form_lr() {
    return this.base_lrs.map((base_lr) => base_lr * pyPow(this.gamma, this.last_epoch));
  }
}

// SequentialLR's and ChainedScheduler's check of their schedulers, which torch writes in both (each
// scheduler here has `optimizer`, and it is this one, so only ReduceLROnPlateau can be refused).
function refusePlateau(name, schedulers) {
  schedulers.forEach((scheduler, scheduler_idx) => {
    if (scheduler instanceof ReduceLROnPlateau) {
      throw ValueError(
        `${name} does not support \`ReduceLROnPlateau\` scheduler as it ` +
          "requires additional kwargs to be specified when calling `step`, " +
          `but got one at index ${scheduler_idx} in the given schedulers sequence.`,
      );
    }
  });
}

class SequentialLR extends LRScheduler {
  constructor(optimizer, { schedulers, milestones }) {
    super();
    const name = "SequentialLR";
    if (schedulers.length < 1) {
      throw ValueError(`${name} expects at least one scheduler, but got no scheduler.`);
    }
    refusePlateau(name, schedulers);
    if (milestones.length !== schedulers.length - 1) {
      throw ValueError(
        "Sequential Schedulers expects number of schedulers provided to be one more " +
          `than the number of milestone points, but got number of schedulers ${schedulers.length} and the ` +
          `number of milestones to be equal to ${milestones.length}`,
      );
    }
    this._schedulers = schedulers;
    this._milestones = milestones;
    this.last_epoch = -1 + 1;
    this.optimizer = optimizer;
    // Reset learning rates back to initial values
    for (const group of this.optimizer.param_groups) group.lr = group.initial_lr;
    // "Undo" the step performed by other schedulers
    this.recursive_undo();
    // Perform the initial step for only the scheduler meant to run at step 0.
    const idx = bisect_right(this._milestones, 0);
    this._schedulers[idx]._initial_step();
    this._last_lr = schedulers[idx].get_last_lr();
  }

  recursive_undo(sched) {
    const scheds = sched === undefined ? this : sched;
    if (scheds._schedulers !== undefined) {
      for (const s of scheds._schedulers) this.recursive_undo(s);
    } else if (scheds.last_epoch !== undefined) {
      scheds.last_epoch -= 1;
    }
  }

  step() {
    this.last_epoch += 1;
    const idx = bisect_right(this._milestones, this.last_epoch);
    const scheduler = this._schedulers[idx];
    if (idx > 0 && this._milestones[idx - 1] === this.last_epoch) {
      scheduler._update_lr(0);
    } else {
      scheduler.step();
    }
    this._last_lr = scheduler.get_last_lr();
  }
}

class PolynomialLR extends LRScheduler {
  constructor(optimizer, kwargs, ints) {
    super();
    this._keep_and_init(optimizer, kwargs, ints); // total_iters, power
  }

  get_lr() {
    if (this._is_initial || this.last_epoch > this.total_iters) return _param_groups_val_list(this.optimizer, "lr");
    const int = this._ints.has("total_iters");
    const decay_factor = pyPow(
      (1.0 - truediv(this.last_epoch, this.total_iters, int)) / (1.0 - truediv(this.last_epoch - 1, this.total_iters, int)),
      this.power,
    );
    return this.optimizer.param_groups.map((group) => group.lr * decay_factor);
  }

  _get_closed_form_lr() {
    return this.base_lrs.map(
      (base_lr) =>
        base_lr *
        pyPow(1.0 - truediv(pyMin(this.total_iters, this.last_epoch), this.total_iters, this._ints.has("total_iters")), this.power),
    );
  }
}

class CosineAnnealingLR extends LRScheduler {
  constructor(optimizer, kwargs, ints) {
    super();
    this._keep_and_init(optimizer, kwargs, ints); // T_max, eta_min
  }

  get_lr() {
    if (this._is_initial) {
      return _param_groups_val_list(this.optimizer, "lr");
    } else if (this._step_count === 1 && this.last_epoch > 0) {
      return this.base_lrs.map(
        (base_lr) =>
          this.eta_min + ((base_lr - this.eta_min) * (1 + pyCos(truediv(this.last_epoch * PI, this.T_max, false)))) / 2,
      );
    } else if (mod(this.last_epoch - 1 - this.T_max, 2 * this.T_max, this._ints.has("T_max")) === 0) {
      return this.optimizer.param_groups.map(
        (group, i) => group.lr + ((this.base_lrs[i] - this.eta_min) * (1 - pyCos(truediv(PI, this.T_max, false)))) / 2,
      );
    }
    // (the hot path of the explorer's most common schedule: a loop, not a map with a closure)
    const groups = this.optimizer.param_groups;
    const lrs = [];
    for (let i = 0; i < groups.length; i++) {
      lrs.push(
        truediv(
          1 + pyCos(truediv(PI * this.last_epoch, this.T_max, false)),
          1 + pyCos(truediv(PI * (this.last_epoch - 1), this.T_max, false)),
          false,
        ) *
          (groups[i].lr - this.eta_min) +
          this.eta_min,
      );
    }
    return lrs;
  }

  _get_closed_form_lr() {
    return this.base_lrs.map(
      (base_lr) =>
        this.eta_min + ((base_lr - this.eta_min) * (1 + pyCos(truediv(PI * this.last_epoch, this.T_max, false)))) / 2,
    );
  }
}

class ChainedScheduler extends LRScheduler {
  constructor(optimizer, { schedulers }) {
    super();
    const name = "ChainedScheduler";
    if (schedulers.length < 1) {
      throw ValueError(`${name} expects at least one scheduler to be chained, but got no scheduler.`);
    }
    refusePlateau(name, schedulers);
    this._schedulers = schedulers;
    this.optimizer = optimizer;
    this._last_lr = _param_groups_val_list(this._schedulers[this._schedulers.length - 1].optimizer, "lr");
  }

  step() {
    for (const scheduler of this._schedulers) scheduler.step();
    this._last_lr = _param_groups_val_list(this._schedulers[this._schedulers.length - 1].optimizer, "lr");
  }
}

class ReduceLROnPlateau extends LRScheduler {
  constructor(optimizer, { mode, factor, patience, threshold, threshold_mode, cooldown, min_lr, eps }) {
    super();
    if (factor >= 1.0) throw ValueError("Factor should be < 1.0.");
    this.factor = factor;
    this.optimizer = optimizer;
    if (Array.isArray(min_lr)) {
      if (min_lr.length !== optimizer.param_groups.length) {
        throw ValueError(`expected ${optimizer.param_groups.length} min_lrs, got ${min_lr.length}`);
      }
      this.default_min_lr = null;
      this.min_lrs = min_lr.slice();
    } else {
      this.default_min_lr = min_lr;
      this.min_lrs = optimizer.param_groups.map(() => min_lr);
    }
    this.patience = patience;
    this.cooldown = cooldown;
    this.eps = eps;
    this.last_epoch = 0;
    this._last_lr = _param_groups_val_list(this.optimizer, "lr");
    this._init_is_better(mode, threshold, threshold_mode);
    this._reset();
  }

  _reset() {
    this.best = this.mode_worse;
    this.cooldown_counter = 0;
    this.num_bad_epochs = 0;
  }

  step(metrics) {
    const current = metrics; // float(metrics)
    const epoch = this.last_epoch + 1;
    this.last_epoch = epoch;
    if (this._is_better(current, this.best)) {
      this.best = current;
      this.num_bad_epochs = 0;
    } else {
      this.num_bad_epochs += 1;
    }
    if (this.in_cooldown) {
      this.cooldown_counter -= 1;
      this.num_bad_epochs = 0; // ignore any bad epochs in cooldown
    }
    if (this.num_bad_epochs > this.patience) {
      this._reduce_lr(epoch);
      this.cooldown_counter = this.cooldown;
      this.num_bad_epochs = 0;
    }
    this._last_lr = _param_groups_val_list(this.optimizer, "lr");
  }

  _reduce_lr(epoch) {
    this.optimizer.param_groups.forEach((param_group, i) => {
      const old_lr = param_group.lr;
      const new_lr = pyMax(old_lr * this.factor, this.min_lrs[i]);
      if (old_lr - new_lr > this.eps) param_group.lr = new_lr;
    });
  }

  get in_cooldown() {
    return this.cooldown_counter > 0;
  }

  _is_better(a, best) {
    if (this.mode === "min" && this.threshold_mode === "rel") {
      const rel_epsilon = 1.0 - this.threshold;
      return a < best * rel_epsilon;
    } else if (this.mode === "min" && this.threshold_mode === "abs") {
      return a < best - this.threshold;
    } else if (this.mode === "max" && this.threshold_mode === "rel") {
      const rel_epsilon = this.threshold + 1.0;
      return a > best * rel_epsilon;
    }
    return a > best + this.threshold; // mode == 'max' and epsilon_mode == 'abs'
  }

  _init_is_better(mode, threshold, threshold_mode) {
    if (mode !== "min" && mode !== "max") throw ValueError(`mode ${mode} is unknown!`);
    if (threshold_mode !== "rel" && threshold_mode !== "abs") {
      throw ValueError(`threshold mode ${threshold_mode} is unknown!`);
    }
    // the worse value for the chosen mode
    this.mode_worse = mode === "min" ? Infinity : -Infinity;
    this.mode = mode;
    this.threshold = threshold;
    this.threshold_mode = threshold_mode;
  }
}

class CyclicLR extends LRScheduler {
  constructor(
    optimizer,
    { base_lr, max_lr, step_size_up, step_size_down, mode, gamma, cycle_momentum, base_momentum, max_momentum },
  ) {
    super();
    this.optimizer = optimizer;
    const base_lrs = _format_param("base_lr", optimizer, base_lr);
    // last_epoch == -1
    base_lrs.forEach((lr, i) => {
      optimizer.param_groups[i].lr = lr;
    });
    this.max_lrs = _format_param("max_lr", optimizer, max_lr);
    const float = (value) => {
      if (value === null) throw typeError("float() argument must be a string or a real number, not 'NoneType'");
      return value;
    };
    step_size_up = float(step_size_up);
    step_size_down = step_size_down !== null ? float(step_size_down) : step_size_up;
    this.total_size = step_size_up + step_size_down;
    this.step_ratio = truediv(step_size_up, this.total_size, false);
    if (!["triangular", "triangular2", "exp_range"].includes(mode)) {
      throw ValueError("mode is invalid and scale_fn is None");
    }
    this.mode = mode;
    this.gamma = gamma;
    this._init_scale_fn();
    this.cycle_momentum = cycle_momentum;
    if (cycle_momentum) {
      // SGD's defaults have "momentum", so no "optimizer must support momentum" error here
      this.use_beta1 = false;
      this.base_momentums = _format_param("base_momentum", optimizer, base_momentum);
      this.max_momentums = _format_param("max_momentum", optimizer, max_momentum);
      // last_epoch == -1
      optimizer.param_groups.forEach((group, i) => {
        group.momentum = this.max_momentums[i];
        group.max_momentum = this.max_momentums[i];
        group.base_momentum = this.base_momentums[i];
      });
    }
    this.__init__(optimizer);
    this.base_lrs = base_lrs;
  }

  _init_scale_fn() {
    if (this.mode === "triangular") {
      this._scale_fn_ref = CyclicLR._triangular_scale_fn;
      this.scale_mode = "cycle";
    } else if (this.mode === "triangular2") {
      this._scale_fn_ref = CyclicLR._triangular2_scale_fn;
      this.scale_mode = "cycle";
    } else if (this.mode === "exp_range") {
      const gamma = this.gamma;
      this._scale_fn_ref = (x) => CyclicLR._exp_range_scale_fn(gamma, x);
      this.scale_mode = "iterations";
    }
  }

  scale_fn(x) {
    return this._scale_fn_ref(x);
  }

  static _triangular_scale_fn(x) {
    return 1.0;
  }

  static _triangular2_scale_fn(x) {
    return truediv(1, pyPow(2.0, x - 1), false);
  }

  static _exp_range_scale_fn(gamma, x) {
    return pyPow(gamma, x);
  }

  get_lr() {
    const cycle = Math.floor(1 + truediv(this.last_epoch, this.total_size, false));
    const x = 1.0 + this.last_epoch / this.total_size - cycle;
    let scale_factor;
    if (x <= this.step_ratio) {
      scale_factor = truediv(x, this.step_ratio, false);
    } else {
      scale_factor = truediv(x - 1, this.step_ratio - 1, false);
    }
    const lrs = [];
    for (let i = 0; i < this.base_lrs.length; i++) {
      const base_lr = this.base_lrs[i];
      const base_height = (this.max_lrs[i] - base_lr) * scale_factor;
      let lr;
      if (this.scale_mode === "cycle") lr = base_lr + base_height * this.scale_fn(cycle);
      else lr = base_lr + base_height * this.scale_fn(this.last_epoch);
      lrs.push(lr);
    }
    if (this.cycle_momentum) {
      const momentums = [];
      for (let i = 0; i < this.base_momentums.length; i++) {
        const max_momentum = this.max_momentums[i];
        const base_height = (max_momentum - this.base_momentums[i]) * scale_factor;
        let momentum;
        if (this.scale_mode === "cycle") momentum = max_momentum - base_height * this.scale_fn(cycle);
        else momentum = max_momentum - base_height * this.scale_fn(this.last_epoch);
        momentums.push(momentum);
      }
      this.optimizer.param_groups.forEach((param_group, i) => {
        param_group.momentum = momentums[i];
      });
    }
    return lrs;
  }
}

class CosineAnnealingWarmRestarts extends LRScheduler {
  constructor(optimizer, { T_0, T_mult, eta_min }, ints) {
    super();
    if (T_0 <= 0 || !ints.has("T_0")) throw ValueError(`Expected positive integer T_0, but got ${pyRepr(T_0, ints.has("T_0"))}`);
    if (T_mult < 1 || !ints.has("T_mult")) {
      throw ValueError(`Expected integer T_mult >= 1, but got ${pyRepr(T_mult, ints.has("T_mult"))}`);
    }
    this.T_0 = T_0;
    this.T_i = T_0;
    this.T_mult = T_mult;
    this.eta_min = eta_min;
    this.T_cur = -1; // last_epoch
    this.__init__(optimizer);
  }

  get_lr() {
    return this.base_lrs.map(
      (base_lr) => this.eta_min + ((base_lr - this.eta_min) * (1 + pyCos((PI * this.T_cur) / this.T_i))) / 2,
    );
  }

  step(epoch) {
    // epoch is never given here, so only the first call (last_epoch < 0) takes the `epoch` branch
    if (epoch === undefined && this.last_epoch < 0) epoch = 0;
    if (epoch === undefined) {
      epoch = this.last_epoch + 1;
      this.T_cur = this.T_cur + 1;
      if (this.T_cur >= this.T_i) {
        this.T_cur = this.T_cur % this.T_i;
        this.T_i = this.T_i * this.T_mult;
      }
    } else if (epoch >= this.T_0) {
      throw new Error("unreachable: the explorer never passes an epoch"); // torch: the log-based branch
    } else {
      this.T_i = this.T_0;
      this.T_cur = epoch;
    }
    this.last_epoch = Math.floor(epoch);
    const values = this.get_lr();
    this.optimizer.param_groups.forEach((param_group, i) => {
      param_group.lr = values[i];
    });
    this._last_lr = _param_groups_val_list(this.optimizer, "lr");
  }
}

class OneCycleLR extends LRScheduler {
  constructor(
    optimizer,
    {
      max_lr,
      total_steps,
      epochs,
      steps_per_epoch,
      pct_start,
      anneal_strategy,
      cycle_momentum,
      base_momentum,
      max_momentum,
      div_factor,
      final_div_factor,
      three_phase,
    },
    ints,
  ) {
    super();
    this.optimizer = optimizer;
    // Validate total_steps
    if (total_steps !== null) {
      if (total_steps <= 0 || !ints.has("total_steps")) {
        throw ValueError(`Expected positive integer total_steps, but got ${pyRepr(total_steps, ints.has("total_steps"))}`);
      }
      this.total_steps = total_steps;
    } else if (epochs !== null && steps_per_epoch !== null) {
      if (!ints.has("epochs") || epochs <= 0) {
        throw ValueError(`Expected positive integer epochs, but got ${pyRepr(epochs, ints.has("epochs"))}`);
      }
      if (!ints.has("steps_per_epoch") || steps_per_epoch <= 0) {
        throw ValueError(
          `Expected positive integer steps_per_epoch, but got ${pyRepr(steps_per_epoch, ints.has("steps_per_epoch"))}`,
        );
      }
      this.total_steps = epochs * steps_per_epoch;
    } else {
      throw ValueError("You must define either total_steps OR (epochs AND steps_per_epoch)");
    }
    // torch's phase dicts: {end_step, start_lr, end_lr, start_momentum, end_momentum}
    const phase = (end_step, start_lr, end_lr, start_momentum, end_momentum) => ({ end_step, start_lr, end_lr, start_momentum, end_momentum });
    if (three_phase) {
      this._schedule_phases = [
        phase(pct_start * this.total_steps - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
        phase(2 * pct_start * this.total_steps - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"),
        phase(this.total_steps - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"),
      ];
    } else {
      this._schedule_phases = [
        phase(pct_start * this.total_steps - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
        phase(this.total_steps - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"),
      ];
    }
    // Validate pct_start (a Python float here: "float" parameters are floats)
    if (pct_start < 0 || pct_start > 1) {
      throw ValueError(`Expected float between 0 and 1 pct_start, but got ${floatRepr(pct_start)}`);
    }
    // Validate anneal_strategy
    if (anneal_strategy !== "cos" && anneal_strategy !== "linear") {
      throw ValueError(`anneal_strategy must be one of 'cos' or 'linear', instead got ${anneal_strategy}`);
    }
    this._anneal_func_type = anneal_strategy;
    // Initialize learning rate variables
    const max_lrs = _format_param("max_lr", this.optimizer, max_lr);
    // last_epoch == -1
    this.optimizer.param_groups.forEach((group, idx) => {
      group.initial_lr = truediv(max_lrs[idx], div_factor, false);
      group.max_lr = max_lrs[idx];
      group.min_lr = truediv(group.initial_lr, final_div_factor, false);
    });
    // Initialize momentum variables
    this.cycle_momentum = cycle_momentum;
    if (this.cycle_momentum) {
      // SGD's defaults have "momentum", so no "optimizer must support momentum" error here
      this.use_beta1 = false;
      const max_momentums = _format_param("max_momentum", optimizer, max_momentum);
      const base_momentums = _format_param("base_momentum", optimizer, base_momentum);
      // last_epoch == -1
      optimizer.param_groups.forEach((group, i) => {
        group.momentum = max_momentums[i];
        group.max_momentum = max_momentums[i];
        group.base_momentum = base_momentums[i];
      });
    }
    this.__init__(optimizer);
  }

  _anneal_func(start, end, pct) {
    if (this._anneal_func_type === "cos") return OneCycleLR._annealing_cos(start, end, pct);
    return OneCycleLR._annealing_linear(start, end, pct);
  }

  static _annealing_cos(start, end, pct) {
    // Cosine anneal from `start` to `end` as pct goes from 0.0 to 1.0.
    const cos_out = pyCos(PI * pct) + 1;
    return end + ((start - end) / 2.0) * cos_out;
  }

  static _annealing_linear(start, end, pct) {
    // Linearly anneal from `start` to `end` as pct goes from 0.0 to 1.0.
    return (end - start) * pct + start;
  }

  get_lr() {
    const step_num = this.last_epoch;
    if (step_num > this.total_steps) {
      throw ValueError(`Tried to step ${step_num} times. The specified number of total steps is ${this.total_steps}`);
    }
    // torch's loops with indices and the list sized once: this runs a million times in a long run
    const phases = this._schedule_phases;
    const last = phases.length - 1;
    const groups = this.optimizer.param_groups;
    const lrs = new Array(groups.length);
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g];
      let start_step = 0.0;
      for (let i = 0; i <= last; i++) {
        const phase = phases[i];
        const end_step = phase.end_step;
        if (step_num <= end_step || i === last) {
          const pct = truediv(step_num - start_step, end_step - start_step, false);
          lrs[g] = this._anneal_func(group[phase.start_lr], group[phase.end_lr], pct); // lrs.append(computed_lr)
          if (this.cycle_momentum) {
            group.momentum = this._anneal_func(group[phase.start_momentum], group[phase.end_momentum], pct);
          }
          break;
        }
        start_step = phase.end_step;
      }
    }
    return lrs;
  }
}

// gallery/plot_custom_warmup_cosine.py: a linear warmup from 0, then a cosine annealing to eta_min.
class WarmupCosineLR extends LRScheduler {
  constructor(optimizer, kwargs, ints) {
    super();
    this._keep_and_init(optimizer, kwargs, ints); // warmup_steps, total_steps, eta_min
  }

  get_lr() {
    const step = this.last_epoch;
    if (step < this.warmup_steps) {
      return this.base_lrs.map((base_lr) => truediv(base_lr * step, this.warmup_steps, false));
    }
    const progress = truediv(
      pyMin(step, this.total_steps) - this.warmup_steps,
      this.total_steps - this.warmup_steps,
      this._ints.has("warmup_steps") && this._ints.has("total_steps"),
    );
    return this.base_lrs.map(
      (base_lr) => this.eta_min + ((base_lr - this.eta_min) * (1 + pyCos(PI * progress))) / 2,
    );
  }
}

const CLASSES = {
  LambdaLR,
  MultiplicativeLR,
  StepLR,
  MultiStepLR,
  ConstantLR,
  LinearLR,
  ExponentialLR,
  SequentialLR,
  PolynomialLR,
  CosineAnnealingLR,
  ChainedScheduler,
  ReduceLROnPlateau,
  CyclicLR,
  CosineAnnealingWarmRestarts,
  OneCycleLR,
  WarmupCosineLR,
};

// ---------------------------------------------------------------------------------------------------
// The parameter spec: torch's signatures, read by the build (spec.js). Every class it names must be
// ported above: a torch that adds a class fails here, on the page and in every test, until it is.

const unported = Object.keys(SPEC.schedulers).filter((name) => !Object.hasOwn(CLASSES, name));
if (unported.length) throw new Error(`engine.js ports no ${unported.join(", ")}, which the spec names: port it to CLASSES`);
export const SCHEDULERS = SPEC.schedulers;

// ---------------------------------------------------------------------------------------------------
// Named lr_lambda functions: the JS twin of each named lambda of the spec (its Python source comes
// from there: scripts/explorer_spec.py, a gallery page's from its script). Each `fn` does the Python's
// operations in the same order; ** 0.5 is Math.sqrt (glibc's pow(x, 0.5) is the correctly rounded
// square root), float ** int and math.cos are the double-double ports above. The tests compare fn
// with the exec'd Python on many steps.

// timm's cycles (timm 1.0.31 writes this arithmetic in each scheduler's _get_lr): the cycle index i
// of time u, and the time into that cycle.
function timmCycleIndex(u, t_initial, cycle_mul) {
  return cycle_mul !== 1
    ? Math.floor(Math.log(1 - (u / t_initial) * (1 - cycle_mul)) / Math.log(cycle_mul))
    : Math.floor(u / t_initial);
}

function timmCycleTime(u, i, t_initial, cycle_mul) {
  return u - (cycle_mul !== 1 ? ((1 - pyPow(cycle_mul, i)) / (1 - cycle_mul)) * t_initial : t_initial * i);
}

// timm's CosineLRScheduler and PolyLRScheduler share their frame: the warmup, then the cycle that
// time u falls in (min_ratio after cycle_limit cycles), where `curve(i, t_curr, t_i)` gives the factor.
function timmCycles(t, t_initial, cycle_mul, cycle_limit, warmup_t, warmup_ratio, warmup_prefix, min_ratio, curve) {
  if (t < warmup_t) return warmup_ratio + (t * (1 - warmup_ratio)) / warmup_t;
  const u = warmup_prefix ? t - warmup_t : t;
  const i = timmCycleIndex(u, t_initial, cycle_mul);
  if (i >= cycle_limit) return min_ratio;
  return curve(i, timmCycleTime(u, i, t_initial, cycle_mul), pyPow(cycle_mul, i) * t_initial);
}

// timm's CosineLRScheduler._get_lr as a factor of the initial lr, in the order of the operations of
// the gallery's lambda (gallery/plot_timm_cosine.py).
function timmCosine(t, t_initial, cycle_mul, cycle_decay, cycle_limit, k_decay, warmup_t, warmup_ratio, warmup_prefix, min_ratio) {
  return timmCycles(t, t_initial, cycle_mul, cycle_limit, warmup_t, warmup_ratio, warmup_prefix, min_ratio, (i, t_curr, t_i) =>
    min_ratio + 0.5 * (pyPow(cycle_decay, i) - min_ratio) * (1 + pyCos((PI * pyPow(t_curr, k_decay)) / pyPow(t_i, k_decay))),
  );
}

// timm's PolyLRScheduler._get_lr as a factor of the initial lr, in the order of the operations of
// the gallery's lambda (gallery/plot_timm_poly.py).
function timmPoly(t, t_initial, power, cycle_mul, cycle_decay, cycle_limit, k_decay, warmup_t, warmup_ratio, warmup_prefix, min_ratio) {
  return timmCycles(t, t_initial, cycle_mul, cycle_limit, warmup_t, warmup_ratio, warmup_prefix, min_ratio, (i, t_curr, t_i) =>
    min_ratio + (pyPow(cycle_decay, i) - min_ratio) * pyPow(1 - pyPow(t_curr, k_decay) / pyPow(t_i, k_decay), power),
  );
}

// timm's TanhLRScheduler._get_lr (timm 1.0.31) as a factor of the initial lr, in the order of the
// operations of the gallery's lambda (gallery/plot_timm_tanh.py): the curve first, at warmup_t during
// the warmup (which climbs to it when not warmup_prefix), then the warmup or the curve.
function timmTanh(t, t_initial, lb, ub, cycle_mul, cycle_decay, cycle_limit, warmup_t, warmup_ratio, warmup_prefix, min_ratio) {
  const u = warmup_prefix ? Math.max(t, warmup_t) - warmup_t : Math.max(t, warmup_t);
  const i = timmCycleIndex(u, t_initial, cycle_mul);
  let curve = min_ratio;
  if (i < cycle_limit) {
    const r = timmCycleTime(u, i, t_initial, cycle_mul) / (pyPow(cycle_mul, i) * t_initial);
    curve = min_ratio + 0.5 * (pyPow(cycle_decay, i) - min_ratio) * (1 - Math.tanh(lb * (1 - r) + ub * r));
  }
  return t < warmup_t ? warmup_ratio + (t * ((warmup_prefix ? 1 : curve) - warmup_ratio)) / warmup_t : curve;
}

const LAMBDA_TWINS = {
  warmup: {
    fn: (step) => pyMin(1.0, (step + 1) / 10),
    exact: true,
  },
  inverse_sqrt: {
    fn: (step) => 1 / Math.sqrt(step + 1),
    exact: true, // sqrt is correctly rounded in both
  },
  exponential: {
    fn: (step) => pyPow(0.95, step),
    exact: false, // glibc's pow is off by an ulp now and then
  },
  step_halving: {
    fn: (step) => pyPow(0.5, Math.floor(step / 10)),
    exact: true, // powers of two are exact
  },
  warmup_cosine: {
    fn: (step) => (step < 8 ? (step + 1) / 8 : 0.5 * (1 + pyCos((PI * pyMin(step - 8, 56)) / 56))),
    exact: false, // glibc's cos is off by an ulp now and then
  },
  gallery_warmup_inverse_sqrt: {
    // gallery/plot_lambdalr.py
    fn: (step) => pyMin((step + 1) / 8, pyPow(8 / (step + 1), 0.5)),
    exact: false, // glibc's pow(x, 0.5) is not always sqrt(x)
  },
  gallery_recipe_inverse_sqrt: {
    // gallery/plot_recipe_inverse_sqrt.py (its step counts from the end of the warmup)
    fn: (step) => 1 / pyPow((step + 8) / 8, 0.5),
    exact: false, // glibc's pow(x, 0.5) is not always sqrt(x)
  },
  "constant_0.9": {
    // gallery/plot_multiplicativelr.py
    fn: (step) => 0.9,
    exact: true,
  },
  "constant_0.99": {
    fn: (step) => 0.99,
    exact: true,
  },
  halve_every_10: {
    fn: (step) => (step % 10 === 0 ? 0.5 : 1.0),
    exact: true,
  },
  gallery_wsd_1_sqrt: {
    // gallery/plot_wsd_1_sqrt.py: warmup from 0, stable, 1-sqrt cooldown (timm's WSDLRScheduler)
    fn: (step, w = 4, n = 32, d = 8) => (step < w ? step / w : 1 - Math.sqrt(pyMin(1, pyMax(0, step - n + d) / d))),
    exact: true, // sqrt is correctly rounded in both
  },
  gallery_warmup_from_zero_4: {
    // gallery/plot_wsd_branched_cooldowns.py, gallery/plot_d2z_vs_cosine.py
    fn: (step, w = 4) => pyMin(1.0, step / w),
    exact: true,
  },
  gallery_warmup_from_zero_8: {
    // gallery/plot_warmup_from_zero.py
    fn: (step, w = 8) => pyMin(1.0, step / w),
    exact: true,
  },
  gallery_timm_cosine: {
    // gallery/plot_timm_cosine.py: timm's CosineLRScheduler as a factor of the initial lr.
    // math.log(x, base) is log(x) / log(base) in CPython; the cycle index floors it.
    fn: (t) => timmCosine(t, 8, 2.0, 0.5, 2, 1.0, 4, 0.01, true, 0.01),
    exact: false, // math.cos, math.log
  },
  gallery_timm_warmup: {
    // gallery/plot_timm_step.py, plot_timm_multistep.py: timm's warmup from warmup_lr_init (r of the lr)
    fn: (step, w = 4, r = 0.01) => r + (step * (1 - r)) / w,
    exact: true,
  },
  gallery_timm_poly: {
    // gallery/plot_timm_poly.py: timm's PolyLRScheduler as a factor of the initial lr.
    fn: (t) => timmPoly(t, 12, 0.5, 1.0, 0.5, 2, 1.0, 4, 0.01, true, 0.01),
    exact: true, // at these settings: ** 0.5 is sqrt, ** 1.0 and ** int are exact in both, no log
  },
  gallery_timm_tanh: {
    // gallery/plot_timm_tanh.py: timm's TanhLRScheduler as a factor of the initial lr.
    fn: (t) => timmTanh(t, 28, -7.0, 3.0, 1.0, 1.0, 1, 4, 0.01, false, 0.01),
    exact: false, // Math.tanh and glibc's tanh differ by an ulp in about 1 argument of 10,000 (in none of these 24)
  },
};

/** The spec's entries joined with their twins: name -> {python, for, fn, exact}, in the spec's order. */
function joined(table, twins, what) {
  const names = Object.keys(table);
  const lacking = names.filter((name) => !Object.hasOwn(twins, name));
  const extra = Object.keys(twins).filter((name) => !Object.hasOwn(table, name));
  if (lacking.length || extra.length) {
    throw new Error(`engine.js: the spec's ${what} without a JS twin: [${lacking}]; twins the spec lacks: [${extra}]`);
  }
  return Object.fromEntries(names.map((name) => [name, { ...table[name], ...twins[name] }]));
}

export const LAMBDAS = joined(SPEC.lambdas, LAMBDA_TWINS, "lambdas");

// ---------------------------------------------------------------------------------------------------
// Named metric curves for ReduceLROnPlateau, t = 0, 1, 2, ... Only + - * / on small integers and
// decimal constants, so Python and JS compute the same double and no threshold test can flip by an ulp.

// validation_loss is the gallery's curve (gallery/plot_reducelronplateau.py): its values come with
// the spec, as `values`, and its twin holds the last one.
const METRIC_TWINS = {
  validation_loss: { fn: (t, values) => values[pyMin(t, values.length - 1)] },
  improve_then_plateau: { fn: (t) => (t < 20 ? 1.0 - 0.025 * t : 0.5) },
  noisy_loss: { fn: (t) => 0.5 + 0.5 / (1 + t / 10) + (((t * 7919) % 13) - 6) / 200 },
  noisy_accuracy: { fn: (t) => 0.9 - 0.4 / (1 + t / 5) + (((t * 37) % 11) - 5) / 500 },
};

export const METRICS = Object.fromEntries(
  Object.entries(joined(SPEC.metrics, METRIC_TWINS, "metrics")).map(([name, entry]) => [name, { ...entry, fn: (t) => METRIC_TWINS[name].fn(t, entry.values) }]),
);

// ---------------------------------------------------------------------------------------------------
// Building a scheduler from settings, as Python evaluates X(optimizer, **kwargs): the arguments first
// (nested schedulers in list order), then the constructor.

function typeError(message) {
  return new TorchError("TypeError", message);
}

const isPyFloat = (value) => value !== null && typeof value === "object" && !Array.isArray(value) && typeof value.float === "number";

function build(optimizer, spec) {
  const name = spec.scheduler;
  const entry = SCHEDULERS[name];
  if (!entry) throw new RangeError(`unknown scheduler ${JSON.stringify(name)}`);
  const given = spec.kwargs || {};
  const known = new Set(entry.params.map((param) => param.name));
  const kwargs = {};
  const ints = new Set();
  const missing = [];
  for (const param of entry.params) {
    let value = given[param.name];
    if (value === undefined) {
      if (param.required) {
        missing.push(param.name);
        continue;
      }
      value = param.default;
      if (param.kind === "int" && Number.isInteger(value)) ints.add(param.name);
    } else if (param.kind === "lambda") {
      const lambda = LAMBDAS[value];
      if (!lambda) throw new RangeError(`unknown lr_lambda ${JSON.stringify(value)}`);
      value = lambda.fn;
    } else if (param.kind === "schedulers") {
      if (!Array.isArray(value)) throw new RangeError(`${param.name} must be a list of {scheduler, kwargs}`);
      value = value.map((child) => build(optimizer, child));
    } else if (param.kind === "int") {
      // {float: 8} is the Python float 8.0 given where torch wants an int (torch says what it thinks).
      if (isPyFloat(value)) value = value.float;
      else if (Number.isInteger(value)) ints.add(param.name);
    } else if (param.kind === "int_list") {
      if (!Array.isArray(value)) throw new RangeError(`${param.name} must be a list of integers`);
    } else if (param.kind === "float_or_list" || param.kind === "float") {
      if (Array.isArray(value)) value = value.slice();
      else if (isPyFloat(value)) value = value.float;
    }
    kwargs[param.name] = value;
  }
  // The call itself: unexpected keywords first, then missing arguments (CPython's order).
  for (const key of Object.keys(given)) {
    if (!known.has(key)) throw typeError(`${name}.__init__() got an unexpected keyword argument '${key}'`);
  }
  if (missing.length) {
    const quoted = missing.map((m) => `'${m}'`);
    const list = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(", ")} and ${quoted[quoted.length - 1]}`;
    const plural = missing.length > 1 ? "s" : "";
    throw typeError(`${name}.__init__() missing ${missing.length} required positional argument${plural}: ${list}`);
  }
  return new CLASSES[name](optimizer, kwargs, ints);
}

export function simulate(settings) {
  const { scheduler: name, lr, momentum, epochs, steps_per_epoch: stepsPerEpoch, metric } = settings;
  const stepEvery = settings.step_every === undefined ? "batch" : settings.step_every;
  if (!Number.isInteger(epochs) || epochs < 0) throw new RangeError("epochs must be an integer >= 0");
  if (!Number.isInteger(stepsPerEpoch) || stepsPerEpoch < 1) throw new RangeError("steps_per_epoch must be an integer >= 1");
  if (stepEvery !== "batch" && stepEvery !== "epoch") throw new RangeError('step_every must be "batch" or "epoch"');
  if (typeof lr !== "number" || typeof momentum !== "number") throw new RangeError("lr and momentum must be numbers");
  let metricFn = null;
  if (name === "ReduceLROnPlateau" && metric !== undefined && metric !== null) {
    if (!METRICS[metric]) throw new RangeError(`unknown metric ${JSON.stringify(metric)}`);
    metricFn = METRICS[metric].fn;
  }
  cosMemoArg0 = cosMemoArg1 = NaN; // the memos are only a speed-up; start each run clean anyway
  powMemoBase = NaN;

  // The series are allocated once at their full length (a million pushes cost more than the
  // schedule itself) and cut to the steps recorded if torch stops part-way.
  const total = epochs * stepsPerEpoch;
  const lrs = new Array(total);
  const momentums = new Array(total);
  const warnings = [];
  let n = 0;
  // Building the scheduler: what torch refuses here throws (there is nothing to draw).
  const optimizer = new SGD(lr, momentum);
  const scheduler = build(optimizer, { scheduler: name, kwargs: settings.kwargs });
  // Stepping: what torch raises part-way ends the run; the steps recorded before it are the result.
  let stopped;
  try {
    const group = optimizer.param_groups[0];
    const plateau = scheduler instanceof ReduceLROnPlateau;
    if (plateau && metricFn === null) metricFn = () => {
      throw typeError("ReduceLROnPlateau.step() missing 1 required positional argument: 'metrics'");
    };
    const byBatch = stepEvery === "batch";
    let t = 0;
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let batch = 0; batch < stepsPerEpoch; batch++) {
        optimizer.step();
        lrs[n] = group.lr;
        momentums[n] = group.momentum;
        n += 1;
        if (byBatch) {
          // ReduceLROnPlateau: scheduler.step(metric(t)); t += 1
          if (plateau) scheduler.step(metricFn(t++));
          else scheduler.step();
        }
      }
      if (!byBatch) {
        if (plateau) scheduler.step(metricFn(t++));
        else scheduler.step();
      }
    }
  } catch (error) {
    if (!(error instanceof TorchError)) throw error;
    stopped = { step: n, type: error.type, message: error.message };
    lrs.length = n;
    momentums.length = n;
  }
  const result = { lr: lrs, momentum: momentums, warnings };
  if (stopped) result.stopped = stopped;
  const nonFinite = firstNonFinite(lrs, "lr") || firstNonFinite(momentums, "momentum");
  if (nonFinite) result.nonFinite = nonFinite;
  return result;
}

function firstNonFinite(values, series) {
  for (let step = 0; step < values.length; step++) {
    if (!Number.isFinite(values[step])) return { step, value: values[step], series };
  }
  return null;
}
