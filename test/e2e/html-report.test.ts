/** `--format html` opened in headless Chromium (Debian package `chromium`): the page's script runs, its counts and filters are right, and it renders in both themes. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, run, skipReason } from './helpers.js';

const skip = skipReason(['chromium']);

interface Counts {
  total: number;
  error: number;
  warning: number;
  info: number;
  rules: string[];
  files: number;
}

describe.skipIf(!!skip)(`HTML report in Chromium${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let tmp = '';
  let report = '';
  let expected: Counts;

  /** Chromium, headless, with its profile and home in the test's folder. */
  function chromium(args: string[]) {
    const r = run(
      'chromium',
      ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-extensions', '--hide-scrollbars', `--user-data-dir=${join(tmp, 'profile')}`, ...args],
      { cwd: tmp, timeout: 60_000, env: { ...process.env, HOME: tmp, XDG_CONFIG_HOME: join(tmp, 'config'), XDG_CACHE_HOME: join(tmp, 'cache') } },
    );
    expect(r.status, r.out).toBe(0);
    return r;
  }

  const dom = (file: string, hash = '') => chromium(['--dump-dom', pathToFileURL(file).href + hash]).stdout;

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'stowage-html-'));
    report = join(tmp, 'report.html');
    // The real CLI, on the examples: the report, and the JSON of the same run to compare counts with.
    const html = run(process.execPath, [join(ROOT, 'bin', 'stowage.js'), 'lint', 'examples/', '--format', 'html', '--output-file', report], { cwd: ROOT });
    expect(html.status, html.out).toBe(1); // the examples hold mistakes
    const json = run(process.execPath, [join(ROOT, 'bin', 'stowage.js'), 'lint', 'examples/', '--format', 'json'], { cwd: ROOT });
    const results = JSON.parse(json.stdout) as Array<{ messages: Array<{ level: 'error' | 'warning' | 'info'; ruleId: string }> }>;
    const messages = results.flatMap((r) => r.messages);
    expected = {
      total: messages.length,
      error: messages.filter((m) => m.level === 'error').length,
      warning: messages.filter((m) => m.level === 'warning').length,
      info: messages.filter((m) => m.level === 'info').length,
      rules: messages.map((m) => m.ruleId),
      files: results.filter((r) => r.messages.length).length,
    };
    expect(expected.total).toBeGreaterThan(0);
    expect(expected.error).toBeGreaterThan(0);
  }, 120_000);

  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("runs the page's script and shows the run's counts", { timeout: 60_000 }, () => {
    const d = dom(report);
    expect(d).toMatch(/<html lang="en" data-ready="1">/); // set by the script, so it ran under the page's CSP
    expect(attr(d, 'body', 'data-shown')).toBe(String(expected.total));
    expect(d).toContain(`<output id="shown" for="q">all ${expected.total} findings</output>`);
    expect(d).toMatch(/<nav id="filters" class="filters" aria-label="Filters">/); // shown by the script
    for (const s of ['error', 'warning', 'info'] as const) {
      expect(d, s).toMatch(new RegExp(`id="total-${s}"><span class="num">${expected[s]}</span>`));
      expect(d, s).toMatch(new RegExp(`<tr data-key="${s}" data-count="${expected[s]}">`));
    }
    expect(visibleNotes(d)).toHaveLength(expected.total);
    expect(d.match(/<details class="file" id="file-\d+" open="">/g)).toHaveLength(expected.files);
  });

  it('filters by severity and by rule domain from the URL fragment (as the charts link)', { timeout: 60_000 }, () => {
    const errors = dom(report, '#severity=error');
    expect(attr(errors, 'body', 'data-shown')).toBe(String(expected.error));
    expect(visibleNotes(errors)).toHaveLength(expected.error);
    expect(visibleNotes(errors).every((n) => n.includes('data-severity="error"'))).toBe(true);
    expect(errors).toContain(`<output id="shown" for="q">${expected.error} of ${expected.total} findings</output>`);
    expect(attr(errors, 'body', 'data-filter')).toBe('severity=error');

    const ecs = expected.rules.filter((r) => r.startsWith('ecs/')).length;
    expect(ecs).toBeGreaterThan(0);
    const byDomain = dom(report, '#rule=ecs');
    expect(attr(byDomain, 'body', 'data-shown')).toBe(String(ecs));
    expect(visibleNotes(byDomain).every((n) => n.includes('data-rule="ecs/'))).toBe(true);
    expect(attr(byDomain, 'body', 'data-filter')).toBe('rule=ecs');
    expect(byDomain).toMatch(/<span id="rule-chip" class="chip">rule <code id="rule-value">ecs<\/code>/);
  });

  it('keeps hostile file names and messages as text in the browser', { timeout: 60_000 }, () => {
    const dir = join(tmp, 'hostile');
    const name = 'x<img src=x onerror="document.title=1">\n::error::y.yaml';
    const file = join(dir, name);
    run('mkdir', ['-p', dir], { cwd: tmp });
    writeFileSync(file, 'Resources:\n  Lb:\n    Type: AWS::ElasticLoadBalancing::LoadBalancer\n    Properties:\n      Listeners: [{ LoadBalancerPort: 80, InstancePort: 80, Protocol: HTTP }]\n      Subnets: [a, b] # </script><script>document.title=2</script>\n');
    const out = join(tmp, 'hostile.html');
    const r = run(process.execPath, [join(ROOT, 'bin', 'stowage.js'), 'lint', file, '--format', 'html', '--output-file', out], { cwd: dir });
    expect(r.status, r.out).toBe(0); // one warning
    const d = dom(out);
    expect(d).toMatch(/data-ready="1"/);
    expect(d).not.toMatch(/<img/);
    expect(d.match(/<script>/g)).toHaveLength(1);
    expect(d).toContain('<title>stowage: 1 finding in 1 file</title>');
    expect(d).toContain('x&lt;img src=x onerror="document.title=1"&gt;\\n::error::y.yaml');
  });

  it('renders a non-blank page in the light and the dark theme', { timeout: 60_000 }, () => {
    const shot = (name: string, extra: string[]) => {
      const png = join(tmp, name);
      chromium([...extra, `--screenshot=${png}`, '--window-size=1280,1600', pathToFileURL(report).href]);
      return decodePng(readFileSync(png));
    };
    const light = shot('light.png', []);
    const dark = shot('dark.png', ['--force-dark-mode']);
    for (const img of [light, dark]) {
      expect(img.width).toBe(1280);
      expect(img.height).toBe(1600);
      expect(distinctColours(img)).toBeGreaterThan(50); // text, bars and highlights, not a blank page
    }
    // The background follows prefers-color-scheme.
    expect(luminance(light, 2, 2)).toBeGreaterThan(230);
    expect(luminance(dark, 2, 2)).toBeLessThan(40);
  });
});

/** An attribute of the first `tag` element of serialized HTML. */
function attr(html: string, tag: string, name: string): string | undefined {
  const el = new RegExp(`<${tag}\\b[^>]*>`).exec(html)?.[0] ?? '';
  return new RegExp(`\\s${name}="([^"]*)"`).exec(el)?.[1];
}

/** The opening tags of the findings' note rows that are not hidden. */
function visibleNotes(html: string): string[] {
  return [...html.matchAll(/<tr class="note [^>]*>/g)].map((m) => m[0]).filter((t) => !/\shidden=""/.test(t));
}

interface Image {
  width: number;
  height: number;
  channels: number;
  pixels: Buffer;
}

/** A PNG (8-bit RGB or RGBA, not interlaced: what Chromium writes) decoded to raw pixels with node's zlib. */
function decodePng(buf: Buffer): Image {
  expect(buf.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  let pos = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect(data[8], 'bit depth').toBe(8);
      expect(data[12], 'interlace').toBe(0);
      channels = data[9] === 6 ? 4 : data[9] === 2 ? 3 : 0;
      expect(channels, `colour type ${data[9]}`).toBeGreaterThan(0);
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    pos += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = pixels.subarray(y * stride, (y + 1) * stride);
    const prev = y ? pixels.subarray((y - 1) * stride, y * stride) : Buffer.alloc(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? out[i - channels]! : 0;
      const b = prev[i]!;
      const c = i >= channels ? prev[i - channels]! : 0;
      let v = line[i]!;
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[i] = v & 0xff;
    }
  }
  return { width, height, channels, pixels };
}

function distinctColours(img: Image): number {
  const seen = new Set<number>();
  for (let i = 0; i < img.pixels.length; i += img.channels) seen.add((img.pixels[i]! << 16) | (img.pixels[i + 1]! << 8) | img.pixels[i + 2]!);
  return seen.size;
}

function luminance(img: Image, x: number, y: number): number {
  const i = (y * img.width + x) * img.channels;
  return 0.2126 * img.pixels[i]! + 0.7152 * img.pixels[i + 1]! + 0.0722 * img.pixels[i + 2]!;
}
