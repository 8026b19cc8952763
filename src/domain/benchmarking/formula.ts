/**
 * Formulas of derived indicators: numbers, indicator codes, + − × ÷ and parentheses.
 * Parsed by a small recursive-descent parser into a tree; never evaluated as code.
 */
export type Formula =
  | { kind: 'number'; value: number }
  | { kind: 'ref'; code: string }
  | { kind: 'neg'; operand: Formula }
  | { kind: 'binary'; op: '+' | '-' | '*' | '/'; left: Formula; right: Formula };

export class FormulaError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

type Token = { kind: 'number'; value: number; at: number } | { kind: 'ref'; code: string; at: number } | { kind: 'op'; op: string; at: number } | { kind: 'end'; at: number };

const operatorAliases: Record<string, string> = { '×': '*', '÷': '/', '−': '-', '（': '(', '）': ')', '＋': '+', '－': '-', '＊': '*', '／': '/' };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const op = operatorAliases[ch] ?? ch;
    if ('+-*/()'.includes(op)) {
      tokens.push({ kind: 'op', op, at: i });
      i++;
      continue;
    }
    const number = /^(\d+(\.\d+)?|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i));
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]), at: i });
      i += number[0].length;
      continue;
    }
    // Indicator codes have no '-', so 'A-B' is A minus B.
    const code = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i));
    if (code) {
      const c = code[0].replace(/\.+$/, '');
      tokens.push({ kind: 'ref', code: c, at: i });
      i += c.length;
      continue;
    }
    throw new FormulaError(`Unexpected character "${ch}" at position ${i + 1}`, i);
  }
  tokens.push({ kind: 'end', at: text.length });
  return tokens;
}

/** Parses a formula text; throws FormulaError naming the position of the first problem. */
export function parseFormula(text: string): Formula {
  if (text.length > 2000) throw new FormulaError('The formula is too long (2000 characters at most)', 0);
  const tokens = tokenize(text);
  let pos = 0;
  let depth = 0;
  const peek = () => tokens[pos]!;
  const isOp = (t: Token, op: string) => t.kind === 'op' && t.op === op;

  function expression(): Formula {
    let left = term();
    while (isOp(peek(), '+') || isOp(peek(), '-')) {
      const op = (tokens[pos++] as { op: '+' | '-' }).op;
      left = { kind: 'binary', op, left, right: term() };
    }
    return left;
  }
  function term(): Formula {
    let left = factor();
    while (isOp(peek(), '*') || isOp(peek(), '/')) {
      const op = (tokens[pos++] as { op: '*' | '/' }).op;
      left = { kind: 'binary', op, left, right: factor() };
    }
    return left;
  }
  function factor(): Formula {
    const t = peek();
    if (isOp(t, '-')) {
      pos++;
      return { kind: 'neg', operand: factor() };
    }
    if (isOp(t, '+')) {
      pos++;
      return factor();
    }
    if (isOp(t, '(')) {
      pos++;
      if (++depth > 50) throw new FormulaError('Parentheses are nested too deeply', t.at);
      const inner = expression();
      if (!isOp(peek(), ')')) throw new FormulaError(`Missing ")" at position ${peek().at + 1}`, peek().at);
      pos++;
      depth--;
      return inner;
    }
    if (t.kind === 'number') {
      pos++;
      return { kind: 'number', value: t.value };
    }
    if (t.kind === 'ref') {
      pos++;
      return { kind: 'ref', code: t.code };
    }
    if (t.kind === 'end') throw new FormulaError('The formula ends too early', t.at);
    throw new FormulaError(`Unexpected "${(t as { op: string }).op}" at position ${t.at + 1}`, t.at);
  }

  const tree = expression();
  if (peek().kind !== 'end') throw new FormulaError(`Unexpected text at position ${peek().at + 1}`, peek().at);
  return tree;
}

/** The indicator codes a formula reads, each once, in order of appearance. */
export function formulaRefs(formula: Formula): string[] {
  const out: string[] = [];
  const walk = (f: Formula): void => {
    if (f.kind === 'ref') {
      if (!out.includes(f.code)) out.push(f.code);
    } else if (f.kind === 'neg') walk(f.operand);
    else if (f.kind === 'binary') {
      walk(f.left);
      walk(f.right);
    }
  };
  walk(formula);
  return out;
}

/** Evaluates with the given input values; null when an input is missing or a division is by zero. */
export function evaluateFormula(formula: Formula, value: (code: string) => number | null): number | null {
  switch (formula.kind) {
    case 'number':
      return formula.value;
    case 'ref':
      return value(formula.code);
    case 'neg': {
      const v = evaluateFormula(formula.operand, value);
      return v === null ? null : -v;
    }
    case 'binary': {
      const l = evaluateFormula(formula.left, value);
      const r = evaluateFormula(formula.right, value);
      if (l === null || r === null) return null;
      if (formula.op === '/') return r === 0 ? null : l / r;
      const out = formula.op === '+' ? l + r : formula.op === '-' ? l - r : l * r;
      return Number.isFinite(out) ? out : null;
    }
  }
}

export interface FormulaProblem {
  /** The indicator whose formula has the problem. */
  code: string;
  /** What is wrong, for programs: unknown codes, a cycle, or a syntax error. */
  kind: 'FORMULA_UNKNOWN_CODES' | 'FORMULA_CYCLE' | 'FORMULA_SYNTAX';
  /** The codes concerned: the unknown ones, or the cycle in order (its first code repeated last). */
  codes: string[];
  message: string;
}

/**
 * Checks the formulas of a set of indicators together: each must parse, name only known
 * indicators, and no indicator may depend on itself through any chain.
 */
export function checkFormulas(indicators: readonly { code: string; formula: string | null }[]): FormulaProblem[] {
  const problems: FormulaProblem[] = [];
  const known = new Set(indicators.map((i) => i.code));
  const deps = new Map<string, string[]>();
  for (const ind of indicators) {
    if (!ind.formula) continue;
    try {
      const refs = formulaRefs(parseFormula(ind.formula));
      const unknown = refs.filter((r) => !known.has(r));
      if (unknown.length > 0) problems.push({ code: ind.code, kind: 'FORMULA_UNKNOWN_CODES', codes: unknown, message: `Unknown indicator code(s) in the formula: ${unknown.join(', ')}` });
      deps.set(ind.code, refs.filter((r) => known.has(r)));
    } catch (e) {
      problems.push({ code: ind.code, kind: 'FORMULA_SYNTAX', codes: [], message: `Formula: ${(e as Error).message}` });
    }
  }
  // Depth-first search for cycles; each cycle is reported once, on the indicator where it closes.
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (code: string): void => {
    state.set(code, 'visiting');
    stack.push(code);
    for (const next of deps.get(code) ?? []) {
      if (state.get(next) === 'visiting') {
        const cycle = [...stack.slice(stack.indexOf(next)), next];
        problems.push({ code, kind: 'FORMULA_CYCLE', codes: cycle, message: `The formula makes a cycle: ${cycle.join(' → ')}` });
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(code, 'done');
  };
  for (const code of deps.keys()) if (!state.has(code)) visit(code);
  return problems;
}
