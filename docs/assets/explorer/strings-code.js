// The words of "Paste your code" and `?code=`, once per language, in the layout of strings.js's
// STRINGS. A module of their own: only paste.js, loaded when the reader first uses it, reads them,
// so they are not part of the page's first download.
export const CODE_STRINGS = {
  en: {
    ui: {
      pasteHelp: "The line (or lines) that build your scheduler, as you wrote them: torch.optim.lr_scheduler.X(…), lr_scheduler.X(…) or X(…). Read, never run.",
      pasteButton: "Load these settings",
      pasteLoaded: "Loaded: {names}.",
      pasteUnknownNames: "Names the explorer cannot know; give their values in the form:",
      pasteAsk: "Your code says {source}: give its value.",
    },
    problems: {
      unknown_name: "is a name the explorer cannot know: give its value",
      not_literal: "is not a Python literal the explorer can read",
      lambda_unknown: "is a lambda the explorer cannot run",
      not_a_scheduler_call: "is not a call of a torch.optim.lr_scheduler class",
      positional: "has more positional arguments than the class takes",
      not_sgd: "is not SGD: the explorer's optimizer is SGD (its lr and momentum are read from an SGD line)",
      too_many_subs: "has more schedulers than the explorer takes (four)",
      build_order: "lists schedulers built in another order than listed (torch builds them as the code runs)",
      not_offered: "is an argument the explorer does not set (see “Fixed here”)",
    },
  },
  zh: {
    ui: {
      pasteHelp: "粘贴构建调度器的那一行（或几行），照原样即可：torch.optim.lr_scheduler.X(…)、lr_scheduler.X(…) 或 X(…)。代码只被解析，不会运行。",
      pasteButton: "载入这组设置",
      pasteLoaded: "已载入：{names}。",
      pasteUnknownNames: "以下名称本页无从得知，请在表单中填入它们的值：",
      pasteAsk: "代码中写的是 {source}：请填入它的值。",
    },
    problems: {
      unknown_name: "是本页无从得知的名称：请填入它的值",
      not_literal: "不是本页能读懂的 Python 字面量",
      lambda_unknown: "是本页无法运行的 lambda",
      not_a_scheduler_call: "不是对 torch.optim.lr_scheduler 中某个类的调用",
      positional: "的位置参数比这个类接受的多",
      not_sgd: "不是 SGD：本页的优化器是 SGD（学习率和动量从 SGD 那一行读取）",
      too_many_subs: "中的调度器超过本页能接受的四个",
      build_order: "中的调度器构建顺序与列表顺序不同（torch 按代码运行的顺序构建）",
      not_offered: "是本页不设置的参数（见“本页固定的参数”）",
    },
  },
};
