'use strict';
// Loads the CommonJS bundle (dist/bundle/*.cjs, scripts/bundle.mjs) with a V8 code cache, as
// Node 22's module.enableCompileCache does: Node 20 has none, and compiling the bundle is a
// large part of a one-file run's start-up.
//
// Each bundle file is compiled through vm.Script with the cached data of an earlier run. A
// file without usable cached data (none yet, or V8 rejected it: another Node version, flags,
// a corrupt file) gets it written once the run is over (saveCache), so the cache also holds
// the functions compiled lazily during the run. The cache is keyed by a hash of the bundle
// build (scripts/bundle.mjs writes its hash on the entry's first line), the Node version and
// the architecture: one directory per build, and a new build's first run removes the others.
// It is written atomically (temporary file, then rename) and any failure to read or write it
// only costs speed, never the run.
//
// Where: STOWAGE_CACHE_DIR if set ("0" or "off" turns the cache off), else
// node_modules/.cache/stowage beside the package (the project's node_modules when stowage is
// installed there, the checkout's own in a clone), else a directory of the user's own in the
// system's temporary directory.
const fs = require('node:fs');
const path = require('node:path');
const os = require('node:os');
const vm = require('node:vm');
const Module = require('node:module');
const { createHash } = require('node:crypto');

const pending = [];
// The cache directory of this bundle build and Node version: undefined until the first load,
// null when there is none.
let buildDir;

function userTmpDir() {
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const dir = path.join(os.tmpdir(), `stowage-cache-${uid ?? os.userInfo().username}`);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // A shared temporary directory: use only a directory of our own that nobody else can write
  // to, since cached data becomes code.
  const st = fs.lstatSync(dir);
  if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o022) !== 0) return undefined;
  return dir;
}

function baseCacheDir() {
  const env = process.env.STOWAGE_CACHE_DIR;
  if (env === '0' || env === 'off') return undefined;
  if (env) return path.resolve(env);
  const root = path.resolve(__dirname, '..');
  const parent = path.dirname(root);
  let dir;
  if (path.basename(parent) === 'node_modules') dir = path.join(parent, '.cache', 'stowage');
  else if (fs.existsSync(path.join(root, 'node_modules'))) dir = path.join(root, 'node_modules', '.cache', 'stowage');
  if (dir) {
    try {
      fs.mkdirSync(dir, { recursive: true });
      fs.accessSync(dir, fs.constants.W_OK);
      return dir;
    } catch {
      // not writable (a read-only install): the temporary directory
    }
  }
  try {
    return userTmpDir();
  } catch {
    return undefined;
  }
}

// scripts/bundle.mjs starts the entry file with the hash of the whole build; a bundle without it
// is hashed here.
const BUILD_ID = /^\/\/ stowage-build: ([0-9a-f]{16,64})\n/;

function resolveBuildDir(entrySource) {
  const base = baseCacheDir();
  if (!base) return null;
  const id = BUILD_ID.exec(entrySource)?.[1] ?? createHash('sha256').update(entrySource).digest('hex');
  return path.join(base, `${process.version}-${process.arch}-${id.slice(0, 24)}`);
}

const dynamicImport = (specifier) => import(specifier);

/** Runs a bundle file (and, through its require, the bundle files it loads) like require would. */
function load(filename) {
  const known = Module._cache[filename];
  if (known) return known.exports;
  const source = fs.readFileSync(filename, 'utf8');
  if (buildDir === undefined) buildDir = resolveBuildDir(source);
  const cacheFile = buildDir ? path.join(buildDir, `${path.basename(filename, '.cjs')}.v8`) : undefined;
  let cachedData;
  if (cacheFile) {
    try {
      cachedData = fs.readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
  }
  // import() in a vm.Script needs importModuleDynamically, which on Node 20 is lost when the
  // script comes from cached data (and a callback needs --experimental-vm-modules): the bundle
  // calls __stowageImport instead (scripts/bundle.mjs), an import() of this file's.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname, __stowageImport) {${source}\n})`, { filename, cachedData });
  if (cacheFile && (!cachedData || script.cachedDataRejected)) pending.push({ script, cacheFile });

  const mod = new Module(filename, module);
  mod.filename = filename;
  mod.paths = Module._nodeModulePaths(path.dirname(filename));
  const base = Module.createRequire(filename);
  const dir = path.dirname(filename);
  // The bundle's own chunks are loaded here too (with their cached data), anything else by Node.
  const req = (id) => (id.startsWith('./') && id.endsWith('.cjs') ? load(path.join(dir, id)) : base(id));
  req.resolve = base.resolve;
  req.cache = Module._cache;
  req.main = require.main;
  Module._cache[filename] = mod;
  try {
    script.runInThisContext().call(mod.exports, mod.exports, req, mod, filename, dir, dynamicImport);
  } catch (error) {
    delete Module._cache[filename];
    throw error;
  }
  mod.loaded = true;
  return mod.exports;
}

/** Writes the cached data the files loaded without it; call once the run's work is done. */
function saveCache() {
  const files = pending.splice(0);
  if (files.length && buildDir && !fs.existsSync(buildDir)) pruneOtherBuilds();
  for (const { script, cacheFile } of files) {
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
      fs.writeFileSync(tmp, script.createCachedData());
      fs.renameSync(tmp, cacheFile);
    } catch {
      try {
        fs.rmSync(tmp, { force: true });
      } catch {
        // nothing more to do: the next run compiles without the cache
      }
    }
  }
}

/** A new build's first run removes the cached data of earlier builds (and Node versions). */
function pruneOtherBuilds() {
  try {
    const base = path.dirname(buildDir);
    for (const name of fs.readdirSync(base)) {
      if (/^v\d+\.\d+\.\d+-/.test(name) && name !== path.basename(buildDir)) fs.rmSync(path.join(base, name), { recursive: true, force: true });
    }
  } catch {
    // an older build's files stay: harmless
  }
}

module.exports = { load, saveCache };
