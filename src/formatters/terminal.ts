/**
 * OSC 8 hyperlinks in the terminal, decided as the `supports-hyperlinks` package decides:
 * `FORCE_HYPERLINK` (non-empty) wins (`0` off, anything else on); otherwise only when colour is on
 * (stdout is a terminal, no `NO_COLOR`, no `--output-file`, no `--no-color`), never in CI, and only
 * in terminals known to render them.
 */
export function hyperlinksEnabled(color: boolean, env: NodeJS.ProcessEnv = process.env, platform: string = process.platform): boolean {
  const force = env.FORCE_HYPERLINK;
  if (force) return !(Number.parseInt(force, 10) === 0);
  if (!color) return false;
  if (env.NETLIFY) return true;
  if ('WT_SESSION' in env) return true; // Windows Terminal
  if (platform === 'win32') return false;
  if (env.CI || env.TEAMCITY_VERSION) return false;
  const program = env.TERM_PROGRAM;
  if (program) {
    const v = version(env.TERM_PROGRAM_VERSION);
    switch (program) {
      case 'iTerm.app':
        return v.major === 3 ? v.minor >= 1 : v.major > 3;
      case 'WezTerm':
        return v.major >= 20200620;
      case 'vscode':
        return v.major > 1 || (v.major === 1 && v.minor >= 72);
      case 'ghostty':
        return true;
    }
  }
  if (env.VTE_VERSION) {
    if (env.VTE_VERSION === '0.50.0') return false; // supposed to, but crashes
    const v = version(env.VTE_VERSION);
    return v.major > 0 || v.minor >= 50;
  }
  return env.TERM === 'alacritty' || env.TERM === 'xterm-kitty';
}

/** `1.72.0` or VTE's `6003` (0.60.3) as numbers. */
function version(s: string | undefined): { major: number; minor: number } {
  if (s && /^\d{3,4}$/.test(s)) {
    const n = Number(s);
    return { major: 0, minor: Math.floor(n / 100) };
  }
  const [major, minor] = (s ?? '').split('.').map((x) => Number.parseInt(x, 10));
  return { major: major || 0, minor: minor || 0 };
}

/**
 * A URL that is safe to put in a link: `http:` or `https:` only, and printable ASCII once
 * normalised (so it cannot end an OSC 8 sequence or an HTML attribute early, nor run script).
 */
export function safeUrl(url: string): string | undefined {
  let href: string;
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
    href = u.href;
  } catch {
    return undefined;
  }
  for (let i = 0; i < href.length; i++) {
    const c = href.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) return undefined;
  }
  return href;
}

/** `text` as an OSC 8 hyperlink to `url` (ST-terminated; `url` must come from `safeUrl`). */
export function osc8(url: string, text: string): string {
  return `\u001b]8;;${url}\u001b\\${text}\u001b]8;;\u001b\\`;
}
