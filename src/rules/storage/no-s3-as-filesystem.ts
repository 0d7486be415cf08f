import { defineRule } from '../../engine/rule.js';
import { Workload, type ContainerLike } from '../../model/entities.js';
import { textOf, type Prop } from '../../model/value.js';

/** Programs that mount an S3 bucket as a FUSE file system, by executable name. */
const TOOLS: Record<string, string> = {
  s3fs: 's3fs',
  goofys: 'goofys',
  'mount-s3': 'Mountpoint for Amazon S3 (mount-s3)',
  'mountpoint-s3': 'Mountpoint for Amazon S3',
  yas3fs: 'yas3fs',
};
/** Image repositories (last path segment) that exist to run one of those tools. */
const IMAGES = new Set(['s3fs', 's3fs-fuse', 'docker-s3fs', 'goofys', 'mountpoint-s3', 'mount-s3', 'yas3fs']);
const RCLONE_MOUNT = new Set(['mount', 'cmount', 'nfsmount']);
const FUSE_TYPE = /^(?:fuse\.)?(s3fs|goofys|mountpoint-s3|mount-s3)$/;
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'mksh']);
/** Commands that run the command that follows them. */
const WRAPPERS = new Set(['exec', 'nohup', 'sudo', 'env', 'command', 'time', 'nice', 'ionice', 'setsid', 'stdbuf', 'tini', 'dumb-init', 'catatonit', 'gosu', 'su-exec', 'timeout', 'busybox', 'doas']);
/** Wrappers that take one positional argument (user, duration) before the command. */
const WRAPPER_ARG = new Set(['gosu', 'su-exec', 'timeout']);
/** Wrapper options that take a value in the next word. */
const WRAPPER_VALUE_OPTS = new Set(['-u', '-g', '-n', '-c', '-s', '-k', '-i', '-o', '-e', '-C', '-p', '-U']);
const RCLONE_VALUE_OPTS = new Set(['--config', '--log-file', '--log-level', '--cache-dir', '--user-agent', '--temp-dir']);
const HELP = new Set(['--help', '-h', '--version', '-V']);
const SKIP_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', '}', 'fi', 'done', 'esac', ';;']);
/** Other uses of /dev/fuse (rootless builds, other file systems): not an S3 mount. */
const OTHER_FUSE = /(?:^|[^a-z0-9])(buildah|podman|fuse-overlayfs|sshfs|gcsfuse|blobfuse2?|kaniko|dind|lxcfs|cvmfs|squashfuse|bindfs|encfs|gocryptfs|rar2fs|ntfs-3g|appimage)(?:[^a-z0-9]|$)/i;

interface Word {
  text: string;
  /** Index of the command element (commandParts) the word came from. */
  el: number;
}

interface Hit {
  /** What mounts S3 (tool name). */
  tool: string;
  el: number;
  /** The offending command, for the message. */
  text: string;
}

function base(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function quote(s: string, max = 60): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? one.slice(0, max - 1) + '…' : one;
}

/** Split a shell script into simple commands of unquoted words (enough to find what each command runs). */
function lexShell(src: string, el: number): Word[][] {
  const commands: Word[][] = [];
  let cmd: Word[] = [];
  let word = '';
  let inWord = false;
  const endWord = () => {
    if (inWord) cmd.push({ text: word, el });
    word = '';
    inWord = false;
  };
  const endCommand = () => {
    endWord();
    if (cmd.length) commands.push(cmd);
    cmd = [];
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === ' ' || c === '\t') endWord();
    else if (c === '\n' || c === '\r' || c === ';' || c === '&' || c === '|' || c === '(' || c === ')' || c === '`') endCommand();
    else if (c === '$' && src[i + 1] === '(') {
      endCommand();
      i++;
    } else if (c === '#' && !inWord) {
      while (i < src.length && src[i] !== '\n') i++;
      endCommand();
    } else if (c === "'") {
      inWord = true;
      const close = src.indexOf("'", i + 1);
      const end = close < 0 ? src.length : close;
      word += src.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      inWord = true;
      let j = i + 1;
      for (; j < src.length && src[j] !== '"'; j++) {
        if (src[j] === '\\' && j + 1 < src.length && '"\\$`\n'.includes(src[j + 1]!)) j++;
        word += src[j];
      }
      i = j;
    } else if (c === '\\') {
      if (src[i + 1] === '\n') i++;
      else if (i + 1 < src.length) {
        inWord = true;
        word += src[++i];
      }
    } else {
      inWord = true;
      word += c;
    }
  }
  endCommand();
  return commands;
}

function analyzeScript(script: string, el: number, depth: number): Hit | undefined {
  if (depth > 4) return undefined;
  for (const cmd of lexShell(script, el)) {
    const hit = analyze(cmd, depth);
    if (hit) return hit;
  }
  return undefined;
}

/** The subcommand of `rclone [options] <subcommand>`, if it is a mount. */
function rcloneMount(args: Word[]): Word | undefined {
  for (let i = 0; i < args.length; i++) {
    const t = args[i]!.text;
    if (t.startsWith('-')) {
      if (RCLONE_VALUE_OPTS.has(t)) i++;
      continue;
    }
    return RCLONE_MOUNT.has(t) ? args[i] : undefined;
  }
  return undefined;
}

/** `mount -t fuse.s3fs ...` or `mount s3fs#bucket ...`: the file-system type, if S3. */
function mountType(args: Word[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const t = args[i]!.text;
    let types: string | undefined;
    if (t === '-t' || t === '--types') types = args[i + 1]?.text;
    else if (t.startsWith('--types=')) types = t.slice(8);
    else if (/^-t./.test(t)) types = t.slice(2).replace(/^=/, '');
    else if (t.startsWith('s3fs#')) return 's3fs';
    for (const type of types?.split(',') ?? []) {
      const m = FUSE_TYPE.exec(type);
      if (m) return m[1];
    }
  }
  return undefined;
}

/** Does one command (argv words) run an S3 mount tool, directly, through a wrapper or through `sh -c`? */
function analyze(words: Word[], depth: number): Hit | undefined {
  let i = 0;
  const assignment = (t: string) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(t);
  while (i < words.length && (assignment(words[i]!.text) || SKIP_KEYWORDS.has(words[i]!.text))) i++;
  if (i < words.length && ['for', 'case', 'function', 'select'].includes(words[i]!.text)) return undefined;
  for (let guard = 0; i < words.length && guard < 8; guard++) {
    const name = base(words[i]!.text);
    if (!WRAPPERS.has(name)) break;
    i++;
    while (i < words.length) {
      const t = words[i]!.text;
      if (t === '--') {
        i++;
        break;
      }
      if (name === 'env' && assignment(t)) i++;
      else if (name === 'command' && (t === '-v' || t === '-V')) return undefined; // a lookup, not a run
      else if (t.startsWith('-') && t.length > 1) i += WRAPPER_VALUE_OPTS.has(t) && name !== 'exec' && name !== 'env' ? 2 : 1;
      else break;
    }
    if (WRAPPER_ARG.has(name)) i++;
  }
  const prog = words[i];
  if (!prog) return undefined;
  const name = base(prog.text);
  const args = words.slice(i + 1);
  const text = () => quote(words.slice(i).map((w) => w.text).join(' '));
  if (SHELLS.has(name)) {
    for (let k = 0; k < args.length; k++) {
      const t = args[k]!.text;
      if (!t.startsWith('-') && !t.startsWith('+')) return undefined; // a script file, not -c
      if (/^-[a-zA-Z]*$/.test(t) && t.includes('c')) {
        const script = args[k + 1];
        return script ? analyzeScript(script.text, script.el, depth + 1) : undefined;
      }
      if (t === '-o' || t === '+o') k++;
    }
    return undefined;
  }
  if (Object.hasOwn(TOOLS, name)) {
    if (args.some((a) => HELP.has(a.text))) return undefined;
    return { tool: TOOLS[name]!, el: prog.el, text: text() };
  }
  if (name === 'rclone') {
    const sub = rcloneMount(args);
    if (sub && !args.some((a) => HELP.has(a.text))) return { tool: `rclone ${sub.text}`, el: prog.el, text: text() };
    return undefined;
  }
  if (name === 'mount') {
    const type = mountType(args);
    if (type) return { tool: `mount -t ${type}`, el: prog.el, text: text() };
  }
  return undefined;
}

/** Image repository name without registry, path, tag or digest (`ghcr.io/x/s3fs:1.9` → `s3fs`). */
function imageName(image: string): string {
  const noDigest = image.split('@')[0]!;
  const last = base(noDigest);
  return last.split(':')[0]!.toLowerCase();
}

function ownerLabel(c: ContainerLike): string {
  if (c.owner instanceof Workload) return `${c.owner.objectKind} "${c.owner.label}"`;
  return `task definition "${c.owner.label}"`;
}

export default defineRule({
  id: 'storage/no-s3-as-filesystem',
  severity: 'warning',
  description: 'Do not mount S3 as a file system in containers; use EFS for shared file storage.',
  check({ model, report }) {
    for (const c of model.containers()) {
      const k8s = c.owner instanceof Workload;
      const parts = c.commandParts();
      const words: Word[] = parts.map((p, el) => ({ text: textOf(p.node, p.owner.scope).text, el }));
      // ECS EntryPoint / Kubernetes command come first in commandParts(); Command / args follow.
      const entryLen = (c.props.prop(k8s ? 'command' : 'EntryPoint').list() ?? []).length;
      const image = c.image.str();
      const imgName = image === undefined ? undefined : imageName(image);

      let hit: Hit | undefined;
      if (words.length) {
        const first = words[0]!;
        hit = /\s/.test(first.text.trim()) ? analyzeScript(first.text, first.el, 0) : analyze(words, 0);
        // A command after an unrecognised entry point (`/entrypoint.sh` that execs "$@").
        if (!hit && entryLen > 0 && words.length > entryLen) hit = analyze(words.slice(entryLen), 0);
        // The rclone image's entry point is rclone itself: `args: [mount, s3:bucket, /data]`.
        if (!hit && imgName === 'rclone' && entryLen === 0) {
          const sub = rcloneMount(words);
          if (sub) hit = { tool: `rclone ${sub.text}`, el: sub.el, text: quote(words.map((w) => w.text).join(' ')) };
        }
      }

      const where = `Container "${c.name}" of ${ownerLabel(c)}`;
      const fix = k8s
        ? 'use EFS for shared file storage through the EFS CSI driver (a PersistentVolumeClaim of an efs.csi.aws.com StorageClass), or the S3 API for objects'
        : 'use EFS for shared file storage (an EFSVolumeConfiguration volume in the task definition), or the S3 API for objects';
      const why = 'which needs SYS_ADMIN and /dev/fuse in the container and gives no POSIX semantics (no file locking, no atomic rename, a write replaces the whole object)';

      if (hit) {
        report(parts[hit.el]!, `${where} mounts S3 as a file system with ${hit.tool} ("${hit.text}"), ${why}; ${fix}.`);
        continue;
      }
      if (imgName !== undefined && IMAGES.has(imgName)) {
        report(c.image, `${where} runs the S3 file-system image "${quote(image!, 80)}", ${why}; ${fix}.`);
        continue;
      }
      const fuse = c.hostDevices().find((d) => d.str() === '/dev/fuse');
      if (!fuse) continue;
      const sysAdmin = c.addedCapabilities().some((p: Prop) => p.isCI('SYS_ADMIN', 'CAP_SYS_ADMIN', 'ALL'));
      const privileged = c.privileged.bool() === true;
      if (!sysAdmin && !privileged) continue;
      // The image and commands must be known, and not another FUSE user (rootless builds, sshfs, gcsfuse, ...).
      if (image === undefined || OTHER_FUSE.test(image) || words.some((w) => OTHER_FUSE.test(w.text))) continue;
      const grant = sysAdmin ? 'the SYS_ADMIN capability' : 'privileged mode';
      report(fuse, `${where} gets the FUSE device /dev/fuse with ${grant}, the setup of an S3 mount inside the container (s3fs, goofys, Mountpoint); ${fix}, and drop the device and ${sysAdmin ? 'the capability' : 'privileged mode'}.`);
    }
  },
});
