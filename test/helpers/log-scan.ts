import { idCheckCharacter } from '../../src/domain/access/id-number';

/** A piece of personal data found in a log, with its line number (1-based) and the value masked. */
export interface LogFinding {
  line: number;
  kind: 'id-number' | 'phone';
  masked: string;
}

// Digit runs that stand alone: not part of a longer number, nor the decimals of a fraction
// (pino's responseTime is a float with many decimals).
const idNumberRe = /(?<![\d.])\d{17}[\dXx](?![\dA-Za-z])/g;
const mobileRe = /(?<![\d.])1[3-9]\d{9}(?!\d)/g;

const mask = (value: string) => `${value.slice(0, 3)}${'*'.repeat(value.length - 5)}${value.slice(-2)}`;

/**
 * Every resident ID number (18 characters with a valid check character) and every mainland mobile
 * number (11 digits starting 13–19) in a log (issue 8 item 2: a log scan after the browser suite).
 */
export function personalDataInLog(text: string): LogFinding[] {
  const findings: LogFinding[] = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(idNumberRe)) {
      const value = m[0].toUpperCase();
      if (idCheckCharacter(value.slice(0, 17)) === value[17]) findings.push({ line: i + 1, kind: 'id-number', masked: mask(value) });
    }
    for (const m of line.matchAll(mobileRe)) findings.push({ line: i + 1, kind: 'phone', masked: mask(m[0]) });
  });
  return findings;
}
