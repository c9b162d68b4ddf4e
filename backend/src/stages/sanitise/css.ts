/**
 * Just enough CSS to tell whether an email's author hid some text from the reader. Untrusted
 * HTML is never rendered; this only reads inline styles, a few presentational attributes and
 * unconditional class rules, and decides "a person would not see this".
 */

export type Declarations = ReadonlyMap<string, string>;
export type Rgba = readonly [r: number, g: number, b: number, a: number];

/** `color: x; display: none !important` → Map { color → x, display → none }. Properties and values lower-cased. */
export function parseDeclarations(style: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of style.split(';')) {
    const colon = part.indexOf(':');
    if (colon <= 0) continue;
    const prop = part.slice(0, colon).trim().toLowerCase();
    const value = part
      .slice(colon + 1)
      .replace(/!\s*important/gi, '')
      .trim()
      .toLowerCase();
    if (prop && value) out.set(prop, value);
  }
  return out;
}

// ---- lengths -------------------------------------------------------------------------------------

/** A CSS length in px (em/rem counted as 16px, pt as 4/3 px); undefined when not a plain length. */
export function lengthPx(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(-?\d*\.?\d+)\s*(px|pt|em|rem|%|vw|vh|cm|mm|in)?$/.exec(value.trim());
  if (!m?.[1]) return undefined;
  const n = Number(m[1]);
  const unit = m[2] ?? 'px';
  const PX_PER_UNIT: Record<string, number> = { px: 1, pt: 4 / 3, em: 16, rem: 16, '%': 0.16, vw: 10, vh: 10, cm: 37.8, mm: 3.78, in: 96 };
  return n * (PX_PER_UNIT[unit] ?? 1);
}

const isZero = (v: string | undefined): boolean => lengthPx(v) === 0;
/** Under 2px nobody reads it. */
const isTiny = (v: string | undefined): boolean => {
  const px = lengthPx(v);
  return px !== undefined && px < 2;
};
/** Far enough off the page that no screen shows it. */
const isOffscreen = (v: string | undefined): boolean => {
  const px = lengthPx(v);
  return px !== undefined && px <= -500;
};

// ---- colours -------------------------------------------------------------------------------------

const NAMED_COLOURS: Record<string, Rgba> = {
  white: [255, 255, 255, 1],
  snow: [255, 250, 250, 1],
  ivory: [255, 255, 240, 1],
  ghostwhite: [248, 248, 255, 1],
  whitesmoke: [245, 245, 245, 1],
  black: [0, 0, 0, 1],
  silver: [192, 192, 192, 1],
  gray: [128, 128, 128, 1],
  grey: [128, 128, 128, 1],
  red: [255, 0, 0, 1],
  green: [0, 128, 0, 1],
  blue: [0, 0, 255, 1],
  navy: [0, 0, 128, 1],
  yellow: [255, 255, 0, 1],
  orange: [255, 165, 0, 1],
  transparent: [0, 0, 0, 0],
};

export function parseColour(value: string | undefined): Rgba | undefined {
  if (!value) return undefined;
  const v = value.trim().toLowerCase();
  const named = NAMED_COLOURS[v];
  if (named) return named;
  const hex = /^#([0-9a-f]{3,8})$/.exec(v)?.[1];
  if (hex) {
    const full = hex.length <= 4 ? [...hex].map((c) => c + c).join('') : hex;
    if (full.length !== 6 && full.length !== 8) return undefined;
    const at = (i: number): number => parseInt(full.slice(i, i + 2), 16);
    return [at(0), at(2), at(4), full.length === 8 ? at(6) / 255 : 1];
  }
  const fn = /^rgba?\(\s*([\d.]+)%?[\s,]+([\d.]+)%?[\s,]+([\d.]+)%?(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/.exec(v);
  if (fn) {
    const alphaText = fn[4];
    const alpha = alphaText === undefined ? 1 : alphaText.endsWith('%') ? Number(alphaText.slice(0, -1)) / 100 : Number(alphaText);
    return [Number(fn[1]), Number(fn[2]), Number(fn[3]), alpha];
  }
  return undefined;
}

/** The first colour in a `background` shorthand ("#fff url(x) no-repeat"). */
export function backgroundColour(decls: Declarations): Rgba | undefined {
  const explicit = parseColour(decls.get('background-color'));
  if (explicit) return explicit;
  const shorthand = decls.get('background');
  if (!shorthand) return undefined;
  for (const token of shorthand.match(/rgba?\([^)]*\)|#[0-9a-f]{3,8}\b|[a-z]+/g) ?? []) {
    const c = parseColour(token);
    if (c) return c;
  }
  return undefined;
}

/** Text in colour `fg` on `bg` is unreadable: same or nearly the same colour, or a transparent text colour. */
export function indistinguishable(fg: Rgba, bg: Rgba): boolean {
  if (fg[3] <= 0.05) return true;
  return Math.max(Math.abs(fg[0] - bg[0]), Math.abs(fg[1] - bg[1]), Math.abs(fg[2] - bg[2])) <= 12;
}

// ---- hiding rules ----------------------------------------------------------------------------------

/** Each rule names a way to hide text with CSS; the first that matches explains why text was set aside. */
export const HIDING_RULES: ReadonlyArray<{ name: string; hides: (d: Declarations) => boolean }> = [
  { name: 'display:none', hides: (d) => d.get('display') === 'none' },
  { name: 'visibility:hidden', hides: (d) => d.get('visibility') === 'hidden' || d.get('visibility') === 'collapse' },
  { name: 'opacity:0', hides: (d) => Number(d.get('opacity') ?? '1') <= 0.05 },
  { name: 'tiny font-size', hides: (d) => isTiny(d.get('font-size')) },
  {
    name: 'zero width or height with overflow hidden',
    hides: (d) => (isZero(d.get('width')) || isZero(d.get('height'))) && /hidden|clip/.test(d.get('overflow') ?? ''),
  },
  { name: 'max-height:0', hides: (d) => isZero(d.get('max-height')) },
  {
    name: 'positioned off-screen',
    hides: (d) => /absolute|fixed|relative/.test(d.get('position') ?? '') && ['left', 'top', 'right', 'bottom'].some((p) => isOffscreen(d.get(p))),
  },
  { name: 'text-indent off-screen', hides: (d) => isOffscreen(d.get('text-indent')) },
  { name: 'clipped to nothing', hides: (d) => /rect\(\s*0(px)?[\s,]+0(px)?[\s,]+0(px)?[\s,]+0(px)?\s*\)/.test(d.get('clip') ?? '') || /inset\(\s*50%/.test(d.get('clip-path') ?? '') },
  { name: 'scaled to nothing', hides: (d) => /scale[xy]?\(\s*0(\.0+)?\s*[,)]/.test(d.get('transform') ?? '') },
  { name: 'mso-hide:all', hides: (d) => d.get('mso-hide') === 'all' },
  { name: 'transparent text colour', hides: (d) => (parseColour(d.get('color'))?.[3] ?? 1) <= 0.05 },
];

export function hidingRule(decls: Declarations): string | undefined {
  if (decls.size === 0) return undefined;
  return HIDING_RULES.find((r) => r.hides(decls))?.name;
}

/**
 * Class names that an unconditional `<style>` rule hides (`.x { display:none }`). Rules inside
 * `@media` are left out: "hide on mobile" classes are ordinary responsive design, not hiding.
 */
export function hiddenClasses(styleSheets: readonly string[]): Map<string, string> {
  const hidden = new Map<string, string>();
  for (const sheet of styleSheets) {
    const css = removeAtBlocks(sheet.replace(/\/\*[\s\S]*?\*\//g, ''));
    for (const m of css.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
      const rule = hidingRule(parseDeclarations(m[2] ?? ''));
      if (!rule) continue;
      for (const selector of (m[1] ?? '').split(',')) {
        const cls = /^\s*[a-z0-9]*\.([\w-]+)\s*$/i.exec(selector)?.[1];
        if (cls) hidden.set(cls, rule);
      }
    }
  }
  return hidden;
}

/** Drops `@media {…}` and similar blocks (with their nested rules); keeps `@import`-style one-liners out too. */
function removeAtBlocks(css: string): string {
  let out = '';
  let i = 0;
  while (i < css.length) {
    const at = css.indexOf('@', i);
    if (at < 0) return out + css.slice(i);
    out += css.slice(i, at);
    const open = css.indexOf('{', at);
    const semi = css.indexOf(';', at);
    if (open < 0 || (semi >= 0 && semi < open)) {
      i = semi < 0 ? css.length : semi + 1;
      continue;
    }
    let depth = 0;
    let j = open;
    for (; j < css.length; j++) {
      if (css[j] === '{') depth++;
      else if (css[j] === '}' && --depth === 0) break;
    }
    i = j + 1;
  }
  return out;
}
