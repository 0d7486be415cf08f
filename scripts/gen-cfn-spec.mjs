#!/usr/bin/env node
// Build step: extracts CloudFormation resource shapes from @aws-cdk/aws-service-spec (db.json.gz,
// 15 MB of mostly documentation) into compact per-service JSON under generated/cfn/, read lazily by
// src/rules/cfn/lib/spec.ts (format: the header of that file). Skips itself when up to date.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'generated', 'cfn');
const require = createRequire(import.meta.url);

function source() {
  try {
    const pkg = require.resolve('@aws-cdk/aws-service-spec/package.json');
    return { db: join(dirname(pkg), 'db.json.gz'), version: JSON.parse(readFileSync(pkg, 'utf8')).version };
  } catch {
    return undefined;
  }
}

/**
 * Requirements the spec cannot express (an API that needs one of several properties), written
 * from the AWS API references: resource type → groups of which at least one must be set.
 */
const ONE_OF = {
  // CreateVolume: "You must specify either a snapshot ID or a volume size" (SourceVolumeId: a copy),
  // and an Availability Zone (by name or by ID).
  'AWS::EC2::Volume': [
    ['Size', 'SnapshotId', 'SourceVolumeId'],
    ['AvailabilityZone', 'AvailabilityZoneId'],
  ],
};

export async function generate({ force = false } = {}) {
  const src = source();
  const index = join(out, 'index.json');
  if (!src) {
    if (existsSync(index)) return; // installed without dev dependencies: keep what is there
    throw new Error('gen-cfn-spec: @aws-cdk/aws-service-spec is not installed (npm install)');
  }
  if (!force && existsSync(index) && statSync(index).mtimeMs > statSync(src.db).mtimeMs && statSync(index).mtimeMs > statSync(fileURLToPath(import.meta.url)).mtimeMs) return;

  const db = JSON.parse(gunzipSync(readFileSync(src.db)).toString('utf8')).schema;
  // Entities are stored under a storage key; links ($ref, relations) use their `$id`.
  const typeDefs = Object.fromEntries(Object.values(db.typeDefinition.entities).map((t) => [t.$id, t]));
  const uses = db.usesType.forward;

  const SCALAR = { string: 'S', integer: 'I', number: 'N', boolean: 'B', json: 'J', 'date-time': 'D', tag: 'T' };
  const services = new Map();
  const names = [];
  // Every property type belongs to one resource (its scoped name is `<ResourceType>.<Name>`), but
  // another resource of the service may use it too: such references carry the full name.
  const owner = new Map();
  for (const res of Object.values(db.resource.entities)) {
    const taken = new Set();
    for (const { $id } of uses[res.$id] ?? []) {
      const td = typeDefs[$id];
      if (!td) continue; // stale link in the database
      const name = taken.has(td.name) ? `${td.name}#${$id}` : td.name;
      taken.add(name);
      owner.set($id, { type: res.cloudFormationType, name });
    }
  }

  for (const res of Object.values(db.resource.entities)) {
    const type = res.cloudFormationType;
    names.push(type);
    // Property types of this resource: spec id → scoped name (unique within the resource).
    const local = new Map();
    for (const { $id } of uses[res.$id] ?? []) if (owner.get($id)?.type === type) local.set($id, owner.get($id).name);
    const code = (t) => {
      if (SCALAR[t.type] && !t.allowedValues) return SCALAR[t.type];
      if (t.allowedValues) return ['E', ...t.allowedValues.map((v) => (t.type === 'integer' ? Number(v) : String(v)))];
      if (t.type === 'array') return ['L', code(t.element)];
      if (t.type === 'map') return ['M', code(t.element)];
      if (t.type === 'union') return ['U', ...t.types.map(code)];
      if (t.type === 'ref') {
        let o = owner.get(t.reference.$ref);
        if (!o && typeDefs[t.reference.$ref]) {
          // Not linked to any resource: it becomes this resource's.
          const td = typeDefs[t.reference.$ref];
          const name = [...local.values()].includes(td.name) ? `${td.name}#${td.$id}` : td.name;
          owner.set(td.$id, (o = { type, name }));
          local.set(td.$id, name);
        }
        if (!o) return 'J'; // a dangling reference (an earlier type the database no longer holds): anything goes
        return o.type === type ? o.name : `${o.type}.${o.name}`;
      }
      if (t.type === 'null') return 'J';
      throw new Error(`gen-cfn-spec: ${type}: unknown type kind ${t.type}`);
    };
    const propCode = (p) => {
      const now = code(p.type);
      if (!p.previousTypes?.length) return now;
      const all = [now];
      for (const prev of p.previousTypes) {
        const c = code(prev);
        if (!all.some((x) => JSON.stringify(x) === JSON.stringify(c))) all.push(c);
      }
      return all.length === 1 ? now : ['U', ...all];
    };
    const shape = (props) => {
      const p = {};
      const r = [];
      for (const [k, v] of Object.entries(props ?? {})) {
        p[k] = propCode(v);
        if (v.required) r.push(k);
      }
      return { p, r };
    };
    const ns = type.split('::').slice(0, 2).join('-');
    let svc = services.get(ns);
    if (!svc) services.set(ns, (svc = { resources: {}, types: {} }));
    svc.resources[type] = { ...shape(res.properties), a: Object.keys(res.attributes ?? {}), ...(ONE_OF[type] ? { o: ONE_OF[type] } : {}) };
    for (const [id, name] of local) svc.types[`${type}.${name}`] = shape(typeDefs[id].properties); // Map iteration sees later additions
  }

  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const [ns, svc] of services) writeFileSync(join(out, `${ns}.json`), JSON.stringify(svc));
  names.sort();
  writeFileSync(index, JSON.stringify({ source: `@aws-cdk/aws-service-spec@${src.version}`, types: names }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await generate({ force: true });
